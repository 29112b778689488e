import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { EVENT_STREAM, type EventStream } from '../event-stream';
import { ensureTopics } from './kafka-topics';

export class KafkaUnavailableError extends Error {}

/** Creates the topics before the relay publishes or the consumer subscribes. */
@Injectable()
export class KafkaTopicsInitializer implements OnModuleInit {
  constructor(
    private readonly kafka: Kafka,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STREAM) private readonly stream: EventStream,
  ) {}

  async onModuleInit(): Promise<void> {
    const started = Date.now();
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await ensureTopics(admin, this.stream, this.config.kafka);
    } catch (error) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      throw new KafkaUnavailableError(
        `Cannot reach Kafka at ${this.config.kafka.brokers?.join(',')} (KAFKA_BROKERS) after ${seconds} s: ${(error as Error).message}`,
      );
    } finally {
      await admin.disconnect();
    }
  }
}
