import { Module } from '@nestjs/common';
import { ReadCacheModule } from '@app/cache';
import { IdempotencyKeyPurger } from './idempotency-key.purger';
import { OrderMetrics } from './order-metrics';
import { OrdersService } from './orders.service';
import { OrderPersistenceModule } from './persistence/order-persistence.module';
import { CacheEpoch } from './read-cache/cache-epoch';
import { OrderReadCache } from './read-cache/order-read-cache';

/** The order use cases behind the REST API, with their read cache. */
@Module({
  imports: [OrderPersistenceModule, ReadCacheModule],
  providers: [OrdersService, OrderReadCache, CacheEpoch, IdempotencyKeyPurger, OrderMetrics],
  exports: [OrdersService],
})
export class OrdersModule {}
