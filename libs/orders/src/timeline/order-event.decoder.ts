import { Injectable } from '@nestjs/common';
import type { ConsumedRecord, DeadLetterReason } from '@app/messaging';
import { OrderEventType } from '../domain/order-event-type';
import { describeSchemaErrors, EventValidators, loadEventValidators } from '../events/event-schemas';
import { eventDataSchema, type OrderEvent, type OrderEventData } from '../events/order-event';

export type DecodeResult = { ok: true; event: OrderEvent } | { ok: false; reason: DeadLetterReason; error: string };

const knownTypes = new Set<string>(Object.values(OrderEventType));
const header = (record: ConsumedRecord, name: string): string | null => {
  const value = record.headers[name];
  if (typeof value === 'string') return value;
  return Buffer.isBuffer(value) ? value.toString('utf8') : null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** RFC 3339 with a four-digit year: what this service writes, and what PostgreSQL can store. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Envelope attributes that contradict the data (or each other): the event is not what it claims. */
function attributeMismatch(
  record: ConsumedRecord,
  type: OrderEventType,
  data: OrderEventData,
  time: string,
  subject: string,
): string | null {
  const dataSchema = header(record, 'ce_dataschema');
  // Absent on records published before the header existed; when present it must name ce_type's schema.
  if (dataSchema !== null && dataSchema !== eventDataSchema(type))
    return `ce_dataschema is not the schema of ${type}: ${dataSchema}`;
  if (!RFC3339.test(time) || Number.isNaN(Date.parse(time))) return `ce_time is not an RFC 3339 time: ${time}`;
  if (data.order.id !== data.orderId) return 'orderId and order.id differ';
  if (subject !== data.orderId) return 'ce_subject is not the order id';
  if (record.key !== null && record.key !== data.orderId) return 'the record key is not the order id';
  return null;
}

/** Turns a record into an order event, or says why it never can be one. */
@Injectable()
export class OrderEventDecoder {
  private readonly validators: EventValidators = loadEventValidators();

  decode(record: ConsumedRecord): DecodeResult {
    const type = header(record, 'ce_type');
    if (!type || !knownTypes.has(type))
      return { ok: false, reason: 'unknown-type', error: `unknown ce_type: ${type ?? '(missing)'}` };
    const id = header(record, 'ce_id');
    if (!id || !UUID.test(id)) return { ok: false, reason: 'schema-violation', error: 'ce_id header must be a UUID' };

    let data: unknown;
    try {
      data = JSON.parse(record.value?.toString('utf8') ?? '');
    } catch (error) {
      return { ok: false, reason: 'invalid-json', error: (error as Error).message };
    }
    const validate = this.validators[type as OrderEventType];
    if (!validate(data)) {
      return { ok: false, reason: 'schema-violation', error: describeSchemaErrors(validate) };
    }
    const valid = data as OrderEventData;
    const time = header(record, 'ce_time') ?? new Date().toISOString();
    const subject = header(record, 'ce_subject') ?? valid.orderId;
    const mismatch = attributeMismatch(record, type as OrderEventType, valid, time, subject);
    if (mismatch) return { ok: false, reason: 'schema-violation', error: mismatch };
    return {
      ok: true,
      event: {
        id,
        type: type as OrderEventType,
        time,
        subject,
        correlationId: header(record, 'ce_correlationid'),
        data: valid,
      },
    };
  }
}
