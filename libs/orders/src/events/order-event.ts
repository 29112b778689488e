import type { Actor } from '../actor';
import type { OrderEventType } from '../domain/order-event-type';
import type { OrderStatus } from '../domain/order-status';
import type { OrderSnapshot } from './order-snapshot';

/** Topic names and the event envelope: the contract other teams build on (docs/asyncapi.yaml). */
export const ORDERS_TOPIC = 'orders';
export const ORDERS_DLT_TOPIC = 'orders.DLT';
export const EVENT_SOURCE = '/orders';
export const EVENT_SCHEMA_VERSION = '1';

/**
 * Names the JSON Schema of each event type (CloudEvents `dataschema`). A name, never fetched: the last
 * segment is the schema's file name in docs/events, which is how consumers resolve it.
 */
export const EVENT_SCHEMA_BASE_URI = 'https://orders.example/schemas/events/';

export function eventSchemaFile(type: OrderEventType): string {
  return `${type}.schema.json`;
}

export function eventDataSchema(type: OrderEventType): string {
  return `${EVENT_SCHEMA_BASE_URI}${eventSchemaFile(type)}`;
}

/** The worker's consumer group: the timeline projection and its processed-event ledger belong to it. */
export const ORDERS_WORKER_GROUP = 'orders-worker';

/** The group `npm run dlt:replay` reads orders.DLT with; it commits nothing (positions come from --since). */
export const ORDERS_DLT_REPLAY_GROUP = 'orders-dlt-replay';

/** The NOTIFY channel that wakes relays in other processes as soon as an outbox write commits. */
export const OUTBOX_CHANNEL = 'orders_outbox';

/** The Kafka record value: JSON data of the CloudEvent (binary content mode). */
export interface OrderEventData {
  orderId: string;
  previousStatus: OrderStatus | null;
  order: OrderSnapshot;
  /** Who made the change; every event written by this version names one (older events do not). */
  actor?: Actor;
}

/** An event as the consumer sees it after reading headers and value. */
export interface OrderEvent {
  id: string;
  type: OrderEventType;
  time: string;
  subject: string;
  correlationId: string | null;
  data: OrderEventData;
}

/** CloudEvents 1.0 Kafka protocol binding headers. */
export function cloudEventHeaders(event: Omit<OrderEvent, 'data'>): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_type: event.type,
    ce_source: EVENT_SOURCE,
    ce_time: event.time,
    ce_subject: event.subject,
    ce_schemaversion: EVENT_SCHEMA_VERSION,
    ce_dataschema: eventDataSchema(event.type),
    ...(event.correlationId ? { ce_correlationid: event.correlationId } : {}),
    'content-type': 'application/json',
  };
}
