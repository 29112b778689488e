import { KafkaOptions, Transport } from '@nestjs/microservices';
import type { AppConfig } from '@app/config';
import { kafkaClientConfig } from './kafka-client-config';

/** NestJS Kafka transport for the worker's consumer: explicit group, our own commits, raw values. */
export function kafkaConsumerOptions(config: AppConfig, brokers: string[], groupId: string): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      client: kafkaClientConfig(config, brokers),
      // Without this Nest appends "-server" to the group id other tools would look for.
      postfixId: '',
      consumer: {
        groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
      },
      subscribe: { fromBeginning: true },
      // Offsets are committed by OffsetCommitter, once a second, and only for records handled.
      // kafkajs' autoCommit would also commit after every fetched batch. Every partition of the
      // topic is fetched at once; RecordDispatcher keeps the records of each key in order.
      run: { autoCommit: false, partitionsConsumedConcurrently: config.kafka.partitions },
      // Values stay bytes: the consumer decides what is valid JSON, not the transport.
      parser: { keepBinary: true },
    },
  };
}
