import { Module, OnModuleInit } from '@nestjs/common';
import { ProblemMappers, RateLimitModule } from '@app/http';
import { OrdersModule } from '@app/orders';
import { OrderMergePatch } from './order-merge-patch';
import { toOrderProblem } from './order-problems';
import { OrdersController } from './orders.controller';

/** The REST API role: /api/orders, within each caller's rate limits. */
@Module({
  imports: [OrdersModule, RateLimitModule],
  controllers: [OrdersController],
  providers: [OrderMergePatch],
})
export class OrdersApiModule implements OnModuleInit {
  constructor(private readonly problems: ProblemMappers) {}

  onModuleInit(): void {
    this.problems.register(toOrderProblem);
  }
}
