import { Logger } from '@nestjs/common';
import { KafkaConfig, logLevel, LogEntry } from 'kafkajs';
import type { AppConfig } from '@app/config';

const logger = new Logger('Kafka');

/** kafkajs logs through the application's logger; its chatty INFO lines stay out. */
function logCreator() {
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    if (level === logLevel.ERROR) logger.error({ ...extra }, message);
    else if (level === logLevel.WARN) logger.warn({ ...extra }, message);
  };
}

/** One client configuration for the producer, the admin and the consumer transport. */
export function kafkaClientConfig(config: AppConfig, brokers: string[]): KafkaConfig {
  return {
    clientId: config.kafka.clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    // Short, bounded retries: the outbox relay owns the long-term retrying.
    retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 5 },
  };
}
