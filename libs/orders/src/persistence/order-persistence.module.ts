import { Module } from '@nestjs/common';
import { OrderEventContract } from '../events/order-event-contract';
import { OrderChangeFeed } from '../order-change-feed';
import { OrderTimelineRepository } from '../timeline/order-timeline.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { OrderOutboxStore } from './order-outbox.store';
import { OrdersRepository } from './orders.repository';

/** The orders tables, shared by the API and the worker side, with one change feed per process. */
@Module({
  providers: [
    OrderEventContract,
    OrdersRepository,
    IdempotencyRepository,
    OrderOutboxStore,
    OrderTimelineRepository,
    OrderChangeFeed,
  ],
  exports: [OrdersRepository, IdempotencyRepository, OrderOutboxStore, OrderTimelineRepository, OrderChangeFeed],
})
export class OrderPersistenceModule {}
