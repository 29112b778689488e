import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EVENT_SCHEMA_DIR } from '@app/orders';
import type { ReadRecord, TopicReader } from './kafka';
import type { TestDatabase } from './test-database';

/** The file a `ce_dataschema` names: its last path segment. */
export const schemaFileOf = (dataSchema: string): string => basename(new URL(dataSchema).pathname);

/**
 * Checks records the way a consuming team would: `ce_dataschema` names a file in docs/events, read
 * from disk by a stock Ajv 2020 whose loader follows the files' relative $refs to their neighbours.
 */
export class EventContract {
  private readonly ajv = new Ajv2020({
    allErrors: true,
    loadSchema: async (uri) => JSON.parse(await readFile(fileURLToPath(uri), 'utf8')) as object,
  });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly dir: string = EVENT_SCHEMA_DIR) {
    addFormats(this.ajv);
  }

  /** Asserts that every record's headers and value match their schemas; returns how many it checked. */
  async assertValid(records: readonly Pick<ReadRecord, 'headers' | 'value'>[]): Promise<number> {
    const validateHeaders = await this.validator('headers.schema.json');
    for (const record of records) {
      const where = `${record.headers.ce_type} ${record.headers.ce_id}`;
      assert.ok(validateHeaders(record.headers), `${where} headers: ${JSON.stringify(validateHeaders.errors)}`);
      const validateValue = await this.validator(schemaFileOf(record.headers.ce_dataschema));
      assert.ok(validateValue(JSON.parse(record.value!)), `${where} value: ${JSON.stringify(validateValue.errors)}`);
    }
    return records.length;
  }

  /** The validator of a schema file in the directory, its $refs followed from disk. */
  async validator(file: string): Promise<ValidateFunction> {
    let validate = this.validators.get(file);
    if (!validate) {
      validate = await this.ajv.compileAsync({ $ref: pathToFileURL(join(this.dir, file)).href });
      this.validators.set(file, validate);
    }
    return validate;
  }
}

/**
 * Waits until every event the outbox marked published is on the topic, then checks those records
 * (records the tests wrote themselves, poison and forgeries, carry ids the outbox never had).
 */
export async function assertPublishedEventsKeepContract(
  db: TestDatabase,
  topic: TopicReader,
): Promise<{ checked: number; published: number }> {
  const rows = await db.query<{ event_id: string }>('SELECT event_id FROM outbox WHERE published_at IS NOT NULL');
  const ids = new Set(rows.map((row) => row.event_id));
  await topic.waitFor((records) => [...ids].every((id) => records.some((r) => r.headers.ce_id === id)));
  const checked = await new EventContract().assertValid(topic.records.filter((r) => ids.has(r.headers.ce_id)));
  assert.ok(checked >= ids.size && ids.size > 0, `${checked} records of ${ids.size} published events`);
  return { checked, published: ids.size };
}
