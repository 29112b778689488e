import { DynamicModule, Module, ModuleMetadata, Provider, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { RecordConsumer } from './consumer/consumed-record';
import { ConsumerHealth } from './consumer/consumer-health';
import { DeadLetterSink, KafkaDeadLetterSink, LoggingDeadLetterSink } from './consumer/dead-letter.sink';
import { RecordDispatcher } from './consumer/record-dispatcher';
import { EventPublisher } from './event-publisher';
import { EVENT_STREAM, type EventStream } from './event-stream';
import { InProcessEventPublisher } from './in-process-event.publisher';
import { ConsumerLagMetrics } from './kafka/consumer-lag.metrics';
import { kafkaClientConfig } from './kafka/kafka-client-config';
import { KafkaEventPublisher } from './kafka/kafka-event.publisher';
import { KafkaAdmin } from './kafka/kafka-admin';
import { KafkaHealth } from './kafka/kafka-health';
import { KafkaProducer } from './kafka/kafka-producer';
import { KafkaTopicsInitializer } from './kafka/kafka-topics.initializer';
import { OffsetCommitter } from './kafka/offset-committer';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { OutboxSignal } from './outbox/outbox-signal';
import { OutboxStore } from './outbox/outbox-store';
import { RelayLeadership } from './outbox/relay-leadership';

export interface MessagingOptions {
  stream: EventStream;
  /** Modules that provide the store and the consumer below. */
  imports: ModuleMetadata['imports'];
  /** The feature's outbox, which the relay publishes from. */
  store: Type<OutboxStore>;
  /** The feature's handler of its own events. */
  consumer: Type<RecordConsumer>;
  /** Kafka brokers; none: events go from the outbox to the consumer in this process. */
  brokers: string[] | undefined;
}

const kafkaProviders: Provider[] = [
  {
    provide: Kafka,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => new Kafka(kafkaClientConfig(config, config.kafka.brokers!)),
  },
  KafkaTopicsInitializer,
  KafkaProducer,
  KafkaAdmin,
  KafkaHealth,
  OffsetCommitter,
  ConsumerLagMetrics,
  { provide: EventPublisher, useClass: KafkaEventPublisher },
  { provide: DeadLetterSink, useClass: KafkaDeadLetterSink },
];

const inProcessProviders: Provider[] = [
  { provide: EventPublisher, useClass: InProcessEventPublisher },
  { provide: DeadLetterSink, useClass: LoggingDeadLetterSink },
];

/**
 * A feature's events, end to end: the outbox relay (database -> Kafka, one leader at a time), the
 * dispatcher that hands consumed records to the feature with retries and dead letters, and the
 * Kafka clients, topics, offsets, lag metrics and readiness check they need.
 */
@Module({})
export class MessagingModule {
  static forRoot({ stream, imports, store, consumer, brokers }: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [...(imports ?? []), TerminusModule],
      providers: [
        { provide: EVENT_STREAM, useValue: stream },
        { provide: OutboxStore, useExisting: store },
        { provide: RecordConsumer, useExisting: consumer },
        OutboxSignal,
        OutboxRelay,
        RelayLeadership,
        RecordDispatcher,
        ConsumerHealth,
        ...(brokers ? kafkaProviders : inProcessProviders),
      ],
      exports: [OutboxSignal, RecordDispatcher, ...(brokers ? [OffsetCommitter] : [])],
    };
  }
}
