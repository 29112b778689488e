import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { consumedRecordFrom, OffsetCommitter, RecordDispatcher } from '@app/messaging';
import { ORDERS_TOPIC } from '@app/orders';

/** The Kafka entry point of the worker; its offsets are committed once records are handled (OffsetCommitter). */
@Controller()
export class OrderEventsController {
  constructor(
    private readonly dispatcher: RecordDispatcher,
    private readonly offsets: OffsetCommitter,
  ) {}

  @EventPattern<string>(ORDERS_TOPIC)
  async onOrderEvent(@Ctx() context: KafkaContext): Promise<void> {
    await this.offsets.track(context, () => this.dispatcher.submit(consumedRecordFrom(context)));
  }
}
