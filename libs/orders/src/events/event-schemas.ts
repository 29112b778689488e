import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OrderEventType } from '../domain/order-event-type';
import { eventSchemaFile } from './order-event';

/** docs/events: the published JSON Schemas are the ones the consumer enforces (from dist/libs/orders/src/events). */
export const EVENT_SCHEMA_DIR = resolve(__dirname, '../../../../../docs/events');

export type EventValidators = Record<OrderEventType, ValidateFunction>;

const loaded = new Map<string, EventValidators>();

/**
 * The validators of the schemas in `dir`, compiled once per process: the outbox's check and the
 * consumer share them.
 */
export function loadEventValidators(dir: string = EVENT_SCHEMA_DIR): EventValidators {
  let validators = loaded.get(dir);
  if (!validators) loaded.set(dir, (validators = compileEventValidators(dir)));
  return validators;
}

/**
 * Loads the schemas as files: they carry no $id, so each is registered under its file name and its
 * relative $refs (./order-event-data.schema.json#/...) resolve to the neighbouring files, as on disk.
 */
function compileEventValidators(dir: string): EventValidators {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(dir, file), 'utf8')), file);
  }
  const validators = {} as EventValidators;
  for (const type of Object.values(OrderEventType)) {
    const validate = ajv.getSchema(eventSchemaFile(type));
    if (!validate) throw new Error(`No JSON Schema for ${type} in ${dir}`);
    validators[type] = validate;
  }
  return validators;
}

/** The last validation's errors, one line, for logs and dead-letter headers. */
export function describeSchemaErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}
