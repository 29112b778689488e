import { Injectable } from '@nestjs/common';
import type { ConsumedRecord, DeadLetterReason } from '@app/messaging';
import { OrderEventType } from '../domain/order-event-type';
import { EventValidators, loadEventValidators } from '../events/event-schemas';
import type { OrderEvent, OrderEventData } from '../events/order-event';

export type DecodeResult = { ok: true; event: OrderEvent } | { ok: false; reason: DeadLetterReason; error: string };

const knownTypes = new Set<string>(Object.values(OrderEventType));
const header = (record: ConsumedRecord, name: string): string | null => {
  const value = record.headers[name];
  if (typeof value === 'string') return value;
  return Buffer.isBuffer(value) ? value.toString('utf8') : null;
};

/** Turns a record into an order event, or says why it never can be one. */
@Injectable()
export class OrderEventDecoder {
  private readonly validators: EventValidators = loadEventValidators();

  decode(record: ConsumedRecord): DecodeResult {
    const type = header(record, 'ce_type');
    if (!type || !knownTypes.has(type))
      return { ok: false, reason: 'unknown-type', error: `unknown ce_type: ${type ?? '(missing)'}` };
    const id = header(record, 'ce_id');
    if (!id || !/^[0-9a-f-]{36}$/i.test(id))
      return { ok: false, reason: 'schema-violation', error: 'ce_id header must be a UUID' };

    let data: unknown;
    try {
      data = JSON.parse(record.value?.toString('utf8') ?? '');
    } catch (error) {
      return { ok: false, reason: 'invalid-json', error: (error as Error).message };
    }
    const validate = this.validators[type as OrderEventType];
    if (!validate(data)) {
      const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
      return { ok: false, reason: 'schema-violation', error: problems };
    }
    const valid = data as OrderEventData;
    return {
      ok: true,
      event: {
        id,
        type: type as OrderEventType,
        time: header(record, 'ce_time') ?? new Date().toISOString(),
        subject: header(record, 'ce_subject') ?? valid.orderId,
        correlationId: header(record, 'ce_correlationid'),
        data: valid,
      },
    };
  }
}
