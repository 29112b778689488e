import { CreateOrders1764000000000 } from './migrations/1764000000000-create-orders';
import { CreateOrderTimeline1764000000001 } from './migrations/1764000000001-create-order-timeline';
import { IndexEventRetention1764000000002 } from './migrations/1764000000002-index-event-retention';
import { CreateCacheEpoch1764000000003 } from './migrations/1764000000003-create-cache-epoch';
import { CreateDeadLetterReplays1764000000004 } from './migrations/1764000000004-create-dead-letter-replays';
import { ScopeIdempotencyKeys1764000000005 } from './migrations/1764000000005-scope-idempotency-keys';
import { RecordTimelineActors1764000000006 } from './migrations/1764000000006-record-timeline-actors';

/** The orders schema history (orders, lines, idempotency keys per principal, outbox, timeline with actors, cache epoch, dead-letter replays), oldest first. */
export const orderMigrations = [
  CreateOrders1764000000000,
  CreateOrderTimeline1764000000001,
  IndexEventRetention1764000000002,
  CreateCacheEpoch1764000000003,
  CreateDeadLetterReplays1764000000004,
  ScopeIdempotencyKeys1764000000005,
  RecordTimelineActors1764000000006,
];
