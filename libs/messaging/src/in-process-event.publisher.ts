import { Inject, Injectable } from '@nestjs/common';
import { RecordDispatcher } from './consumer/record-dispatcher';
import { EventPublisher } from './event-publisher';
import { EVENT_STREAM, type EventStream, type OutboxRecord } from './event-stream';

/** Embedded mode (no KAFKA_BROKERS): the same consumer receives each event, in order, in this process. */
@Injectable()
export class InProcessEventPublisher extends EventPublisher {
  constructor(
    private readonly dispatcher: RecordDispatcher,
    @Inject(EVENT_STREAM) private readonly stream: EventStream,
  ) {
    super();
  }

  async publish(records: readonly OutboxRecord[]): Promise<void> {
    for (const record of records) {
      const message = this.stream.toMessage(record);
      await this.dispatcher.dispatch({
        topic: this.stream.topic,
        partition: 0,
        offset: record.id,
        key: message.key,
        value: Buffer.from(message.value),
        headers: message.headers,
      });
    }
  }
}
