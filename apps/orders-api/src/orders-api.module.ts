import { Module } from '@nestjs/common';
import { OrderTimelineRepository } from '@app/messaging/consumer/order-timeline.repository';
import { OrdersModule } from '@app/orders/orders.module';
import { OrdersController } from './orders/orders.controller';

/** The REST API role: /api/orders. */
@Module({
  imports: [OrdersModule],
  controllers: [OrdersController],
  providers: [OrderTimelineRepository],
})
export class OrdersApiModule {}
