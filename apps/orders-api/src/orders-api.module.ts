import { Module } from '@nestjs/common';
import { OrdersModule } from '@app/orders/orders.module';
import { OrdersController } from './orders/orders.controller';

/** The REST API role: /api/orders. */
@Module({
  imports: [OrdersModule],
  controllers: [OrdersController],
})
export class OrdersApiModule {}
