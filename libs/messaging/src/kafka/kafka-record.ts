import type { KafkaContext } from '@nestjs/microservices';
import type { ConsumedRecord } from '../consumer/consumed-record';

/**
 * The record as it was on the topic, whatever it holds. Nest's payload is unusable for this: for a
 * null value it is the whole message object, and its parser JSON-decodes keys and headers that look
 * like JSON. The value is taken as the raw bytes (the transport keeps them binary); keys and headers
 * come back to text.
 */
export function consumedRecordFrom(context: KafkaContext): ConsumedRecord {
  const message = context.getMessage();
  return {
    topic: context.getTopic(),
    partition: context.getPartition(),
    offset: message.offset,
    key: asText(message.key),
    value: asBytes(message.value),
    headers: Object.fromEntries(
      Object.entries(message.headers ?? {}).flatMap(([name, value]) => {
        const text = asText(value);
        return text === null ? [] : [[name, text]];
      }),
    ),
  };
}

function asBytes(value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((part) => asText(part) ?? '').join(',');
  return JSON.stringify(value);
}
