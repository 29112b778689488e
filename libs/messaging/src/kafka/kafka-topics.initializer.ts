import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EVENT_STREAM, type EventStream } from '../event-stream';
import { ensureTopics } from './kafka-topics';

/** Creates the topics before the relay publishes or the consumer subscribes. */
@Injectable()
export class KafkaTopicsInitializer implements OnModuleInit {
  constructor(
    private readonly kafka: Kafka,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STREAM) private readonly stream: EventStream,
  ) {}

  async onModuleInit(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, this.stream, this.config.kafka.partitions);
    } finally {
      await admin.disconnect();
    }
  }
}
