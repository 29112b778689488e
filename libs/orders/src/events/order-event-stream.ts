import type { EventStream, OutboxRecord, OutgoingMessage } from '@app/messaging';
import type { OrderEventType } from '../domain/order-event-type';
import { cloudEventHeaders, ORDERS_DLT_TOPIC, ORDERS_TOPIC, ORDERS_WORKER_GROUP, OUTBOX_CHANNEL } from './order-event';

/** The Kafka record of an outbox event: key = order id, CloudEvents headers, JSON data as value. */
export function toKafkaMessage(record: OutboxRecord): OutgoingMessage {
  return {
    key: record.key,
    value: JSON.stringify(record.payload),
    headers: cloudEventHeaders({
      id: record.eventId,
      type: record.type as OrderEventType,
      time: record.createdAt.toISOString(),
      subject: record.key,
      correlationId: record.correlationId,
    }),
  };
}

/** The order events as the messaging module publishes and consumes them. */
export const orderEventStream: EventStream = {
  topic: ORDERS_TOPIC,
  deadLetterTopic: ORDERS_DLT_TOPIC,
  consumerGroup: ORDERS_WORKER_GROUP,
  notifyChannel: OUTBOX_CHANNEL,
  toMessage: toKafkaMessage,
};
