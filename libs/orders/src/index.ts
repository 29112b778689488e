// The orders feature's public surface: what the apps (and tests) may use.
export type { Actor } from './actor';
export { lineTotal, sumMinorUnits } from './domain/money';
export {
  editableContent,
  placeOrder,
  reviseOrder,
  transitionOrder,
  type Order,
  type OrderChange,
  type OrderDraft,
  type OrderLine,
  type OrderLineInput,
  type OrderRevision,
  type ShippingAddress,
} from './domain/order';
export {
  IdempotencyKeyReuseError,
  IllegalTransitionError,
  InvalidOrderError,
  OrderNotEditableError,
  OrderNotFoundError,
  VersionMismatchError,
} from './domain/order-errors';
export { eventTypeForStatus, OrderEventType } from './domain/order-event-type';
export { assertTransition, canTransition, nextStatuses } from './domain/order-state-machine';
export { OrderStatus } from './domain/order-status';
export { EVENT_SCHEMA_DIR, loadEventValidators, type EventValidators } from './events/event-schemas';
export {
  cloudEventHeaders,
  EVENT_SCHEMA_BASE_URI,
  eventDataSchema,
  ORDERS_DLT_REPLAY_GROUP,
  ORDERS_DLT_TOPIC,
  ORDERS_TOPIC,
  ORDERS_WORKER_GROUP,
  type OrderEvent,
  type OrderEventData,
} from './events/order-event';
export { EventContractViolation, OrderEventContract } from './events/order-event-contract';
export { orderEventStream, toKafkaMessage } from './events/order-event-stream';
export { orderSnapshot, type OrderSnapshot } from './events/order-snapshot';
export { InvalidCursorError, OrderCursor } from './order-cursor';
export { OrderChangeFeed } from './order-change-feed';
export { OrdersModule } from './orders.module';
export {
  OrdersService,
  type CustomerScope,
  type OrderFilter,
  type OrderPage,
  type WriteContext,
} from './orders.service';
export { DeadLetterReplayLedger } from './persistence/dead-letter-replay-ledger';
export { orderMigrations } from './persistence/order-migrations';
export { OrderOutboxStore } from './persistence/order-outbox.store';
export { OrdersRepository } from './persistence/orders.repository';
export type { CacheRead } from './read-cache/order-read-cache';
export { EARLIEST_INSTANT, isSupportedInstant, LATEST_INSTANT } from './supported-instants';
export { OrderEventsConsumer } from './timeline/order-events.consumer';
export { OrderEventsModule } from './timeline/order-events.module';
export type { TimelineEntry } from './timeline/order-timeline.repository';
export { TimelineRetentionPurger, type PurgedRows } from './timeline/timeline-retention.purger';
