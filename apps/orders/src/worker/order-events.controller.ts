import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { OffsetCommitter, RecordDispatcher } from '@app/messaging';
import { ORDERS_TOPIC } from '@app/orders';

/** The Kafka entry point of the worker. Returning makes the record's offset committable (OffsetCommitter). */
@Controller()
export class OrderEventsController {
  constructor(
    private readonly dispatcher: RecordDispatcher,
    private readonly offsets: OffsetCommitter,
  ) {}

  @EventPattern<string>(ORDERS_TOPIC)
  async onOrderEvent(@Payload() value: Buffer | null, @Ctx() context: KafkaContext): Promise<void> {
    const message = context.getMessage();
    await this.offsets.track(context, () =>
      this.dispatcher.dispatch({
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
