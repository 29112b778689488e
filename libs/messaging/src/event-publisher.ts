import type { Message } from 'kafkajs';
import { cloudEventHeaders } from './order-event';
import type { OutboxRecord } from './outbox/outbox.repository';

/** Where the relay hands events: Kafka, or (embedded mode) the consumer in this process. */
export abstract class EventPublisher {
  abstract publish(records: readonly OutboxRecord[]): Promise<void>;
}

/** The Kafka record of an outbox event: key = order id, CloudEvents headers, JSON data as value. */
export function toKafkaMessage(
  record: OutboxRecord,
): Message & { key: string; value: string; headers: Record<string, string> } {
  return {
    key: record.orderId,
    value: JSON.stringify(record.data),
    headers: cloudEventHeaders({
      id: record.eventId,
      type: record.eventType,
      time: record.createdAt.toISOString(),
      subject: record.orderId,
      correlationId: record.correlationId,
    }),
  };
}
