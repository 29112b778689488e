import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { OrderEventsConsumer } from '@app/messaging/consumer/order-events.consumer';
import { OffsetCommitter } from '@app/messaging/kafka/offset-committer';
import { ORDERS_TOPIC } from '@app/messaging/order-event';

/** The Kafka entry point of the worker. Returning makes the record's offset committable (OffsetCommitter). */
@Controller()
export class OrderEventsController {
  constructor(
    private readonly consumer: OrderEventsConsumer,
    private readonly offsets: OffsetCommitter,
  ) {}

  @EventPattern<string>(ORDERS_TOPIC)
  async onOrderEvent(@Payload() value: Buffer | null, @Ctx() context: KafkaContext): Promise<void> {
    const message = context.getMessage();
    await this.offsets.track(context, () =>
      this.consumer.consume({
        topic: context.getTopic(),
        partition: context.getPartition(),
        offset: message.offset,
        key: message.key === null || message.key === undefined ? null : String(message.key),
        value,
        headers: message.headers ?? {},
      }),
    );
  }
}
