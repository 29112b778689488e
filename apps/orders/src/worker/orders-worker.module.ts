import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { MessagingModule, OutboxSignal } from '@app/messaging';
import {
  OrderChangeFeed,
  OrderEventsConsumer,
  OrderEventsModule,
  orderEventStream,
  OrderOutboxStore,
} from '@app/orders';
import { OrderEventsController } from './order-events.controller';

/** The worker role: the outbox relay (database -> Kafka) and the order event consumer (timeline). */
@Module({})
export class OrdersWorkerModule implements OnModuleInit {
  static forConfig(config: AppConfig): DynamicModule {
    const { brokers } = config.kafka;
    return {
      module: OrdersWorkerModule,
      imports: [
        OrderEventsModule,
        MessagingModule.forRoot({
          stream: orderEventStream,
          imports: [OrderEventsModule],
          store: OrderOutboxStore,
          consumer: OrderEventsConsumer,
          brokers,
        }),
      ],
      controllers: brokers ? [OrderEventsController] : [],
    };
  }

  constructor(
    private readonly changes: OrderChangeFeed,
    private readonly signal: OutboxSignal,
  ) {}

  /** Orders written by this process wake its relay at once (other processes' writes arrive by NOTIFY). */
  onModuleInit(): void {
    this.changes.onCommitted(() => this.signal.notify());
  }
}
