import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { OrderEventsConsumer } from '@app/messaging/consumer/order-events.consumer';
import { ORDERS_TOPIC } from '@app/messaging/order-event';

/** The Kafka entry point of the worker: consume, then commit the next offset. */
@Controller()
export class OrderEventsController {
  constructor(private readonly consumer: OrderEventsConsumer) {}

  @EventPattern<string>(ORDERS_TOPIC)
  async onOrderEvent(@Payload() value: Buffer | null, @Ctx() context: KafkaContext): Promise<void> {
    const message = context.getMessage();
    const topic = context.getTopic();
    const partition = context.getPartition();
    await this.consumer.consume({
      topic,
      partition,
      offset: message.offset,
      key: message.key === null || message.key === undefined ? null : String(message.key),
      value,
      headers: message.headers ?? {},
    });
    // Only after the event is in the database (or on the dead-letter topic).
    await context.getConsumer().commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
  }
}
