import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { OrderEventsConsumer } from '@app/messaging/consumer/order-events.consumer';
import { ORDERS_TOPIC } from '@app/messaging/order-event';

/** The Kafka entry point of the worker. Returning marks the offset for commit (see kafka-consumer-options). */
@Controller()
export class OrderEventsController {
  constructor(private readonly consumer: OrderEventsConsumer) {}

  @EventPattern<string>(ORDERS_TOPIC)
  async onOrderEvent(@Payload() value: Buffer | null, @Ctx() context: KafkaContext): Promise<void> {
    const message = context.getMessage();
    await this.consumer.consume({
      topic: context.getTopic(),
      partition: context.getPartition(),
      offset: message.offset,
      key: message.key === null || message.key === undefined ? null : String(message.key),
      value,
      headers: message.headers ?? {},
    });
  }
}
