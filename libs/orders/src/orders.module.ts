import { Module } from '@nestjs/common';
import { OutboxRepository } from '@app/messaging/outbox/outbox.repository';
import { IdempotencyKeyPurger } from './idempotency-key.purger';
import { OrdersService } from './orders.service';
import { IdempotencyRepository } from './persistence/idempotency.repository';
import { OrdersRepository } from './persistence/orders.repository';

@Module({
  providers: [OrdersService, OrdersRepository, IdempotencyRepository, OutboxRepository, IdempotencyKeyPurger],
  exports: [OrdersService, OrdersRepository],
})
export class OrdersModule {}
