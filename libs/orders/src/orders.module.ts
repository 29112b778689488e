import { Module } from '@nestjs/common';
import { OutboxModule } from '@app/messaging/outbox/outbox.module';
import { IdempotencyKeyPurger } from './idempotency-key.purger';
import { OrdersService } from './orders.service';
import { IdempotencyRepository } from './persistence/idempotency.repository';
import { OrdersRepository } from './persistence/orders.repository';

@Module({
  imports: [OutboxModule],
  providers: [OrdersService, OrdersRepository, IdempotencyRepository, IdempotencyKeyPurger],
  exports: [OrdersService, OrdersRepository],
})
export class OrdersModule {}
