import { KafkaOptions, Transport } from '@nestjs/microservices';
import type { AppConfig } from '@app/config/app-config';
import { ORDERS_WORKER_GROUP } from '../order-event';
import { kafkaClientConfig } from './kafka-client-config';

/** NestJS Kafka transport for the worker's consumer: explicit group, manual commits, raw values. */
export function kafkaConsumerOptions(config: AppConfig, brokers: string[]): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      client: kafkaClientConfig(config, brokers),
      // Without this Nest appends "-server" to the group id other tools would look for.
      postfixId: '',
      consumer: {
        groupId: ORDERS_WORKER_GROUP,
        allowAutoTopicCreation: false,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
      },
      subscribe: { fromBeginning: true },
      // kafkajs commits only offsets whose handler has returned, i.e. after the event is in the
      // database (or on the dead-letter topic); a handler that throws leaves its offset uncommitted.
      // Committing every ~second rather than per message costs a few redeliveries after a crash,
      // which the processed-event ledger absorbs.
      run: { autoCommit: true, autoCommitInterval: 1_000, autoCommitThreshold: 500, partitionsConsumedConcurrently: 3 },
      // Values stay bytes: the consumer decides what is valid JSON, not the transport.
      parser: { keepBinary: true },
    },
  };
}
