import { Injectable } from '@nestjs/common';
import { EventPublisher, toKafkaMessage } from '../event-publisher';
import { ORDERS_TOPIC } from '../order-event';
import type { OutboxRecord } from '../outbox/outbox.repository';
import { KafkaProducer } from './kafka-producer';

@Injectable()
export class KafkaEventPublisher extends EventPublisher {
  constructor(private readonly producer: KafkaProducer) {
    super();
  }

  publish(records: readonly OutboxRecord[]): Promise<void> {
    return this.producer.send(ORDERS_TOPIC, records.map(toKafkaMessage));
  }
}
