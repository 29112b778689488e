import { Module } from '@nestjs/common';
import { OrderCacheModule } from '@app/cache/order-cache.module';
import { OutboxModule } from '@app/messaging/outbox/outbox.module';
import { IdempotencyKeyPurger } from './idempotency-key.purger';
import { OrderMetrics } from './order-metrics';
import { OrdersService } from './orders.service';
import { IdempotencyRepository } from './persistence/idempotency.repository';
import { OrdersRepository } from './persistence/orders.repository';

@Module({
  imports: [OutboxModule, OrderCacheModule],
  providers: [OrdersService, OrdersRepository, IdempotencyRepository, IdempotencyKeyPurger, OrderMetrics],
  exports: [OrdersService, OrdersRepository, OrderCacheModule],
})
export class OrdersModule {}
