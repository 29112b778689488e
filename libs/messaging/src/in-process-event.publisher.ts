import { Injectable } from '@nestjs/common';
import { OrderEventsConsumer } from './consumer/order-events.consumer';
import { EventPublisher, toKafkaMessage } from './event-publisher';
import { ORDERS_TOPIC } from './order-event';
import type { OutboxRecord } from './outbox/outbox.repository';

/** Embedded mode (no KAFKA_BROKERS): the same consumer receives each event, in order, in this process. */
@Injectable()
export class InProcessEventPublisher extends EventPublisher {
  constructor(private readonly consumer: OrderEventsConsumer) {
    super();
  }

  async publish(records: readonly OutboxRecord[]): Promise<void> {
    for (const record of records) {
      const message = toKafkaMessage(record);
      await this.consumer.consume({
        topic: ORDERS_TOPIC,
        partition: 0,
        offset: record.id,
        key: message.key,
        value: Buffer.from(message.value),
        headers: message.headers,
      });
    }
  }
}
