import { DynamicModule, Inject, Module, OnModuleInit, Provider } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@app/config/app-config';
import { DeadLetterSink, KafkaDeadLetterSink, LoggingDeadLetterSink } from '@app/messaging/consumer/dead-letter.sink';
import { OrderEventDecoder } from '@app/messaging/consumer/order-event.decoder';
import { OrderEventsConsumer } from '@app/messaging/consumer/order-events.consumer';
import { OrderTimelineRepository } from '@app/messaging/consumer/order-timeline.repository';
import { EventPublisher } from '@app/messaging/event-publisher';
import { InProcessEventPublisher } from '@app/messaging/in-process-event.publisher';
import { ConsumerLagMetrics } from '@app/messaging/kafka/consumer-lag.metrics';
import { kafkaClientConfig } from '@app/messaging/kafka/kafka-client-config';
import { KafkaEventPublisher } from '@app/messaging/kafka/kafka-event.publisher';
import { KafkaProducer } from '@app/messaging/kafka/kafka-producer';
import { ensureTopics } from '@app/messaging/kafka/kafka-topics';
import { OffsetCommitter } from '@app/messaging/kafka/offset-committer';
import { OutboxModule } from '@app/messaging/outbox/outbox.module';
import { OutboxRelay } from '@app/messaging/outbox/outbox-relay.service';
import { RelayLeadership } from '@app/messaging/outbox/relay-leadership';
import { OrderEventsController } from './order-events.controller';

/** Creates the topics before the relay publishes or the consumer subscribes. */
class KafkaTopicsInitializer implements OnModuleInit {
  constructor(
    private readonly kafka: Kafka,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, this.config.kafka.partitions);
    } finally {
      await admin.disconnect();
    }
  }
}

const kafkaProviders: Provider[] = [
  {
    provide: Kafka,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => new Kafka(kafkaClientConfig(config, config.kafka.brokers!)),
  },
  {
    provide: KafkaTopicsInitializer,
    inject: [Kafka, APP_CONFIG],
    useFactory: (kafka: Kafka, config: AppConfig) => new KafkaTopicsInitializer(kafka, config),
  },
  KafkaProducer,
  OffsetCommitter,
  ConsumerLagMetrics,
  { provide: EventPublisher, useClass: KafkaEventPublisher },
  { provide: DeadLetterSink, useClass: KafkaDeadLetterSink },
];

const inProcessProviders: Provider[] = [
  { provide: EventPublisher, useClass: InProcessEventPublisher },
  { provide: DeadLetterSink, useClass: LoggingDeadLetterSink },
];

/** The worker role: outbox relay (database -> Kafka) and the order event consumer (timeline). */
@Module({})
export class OrdersWorkerModule {
  static forConfig(config: AppConfig): DynamicModule {
    const kafka = config.kafka.brokers !== undefined;
    return {
      module: OrdersWorkerModule,
      imports: [OutboxModule],
      controllers: kafka ? [OrderEventsController] : [],
      providers: [
        OutboxRelay,
        RelayLeadership,
        OrderEventsConsumer,
        OrderEventDecoder,
        OrderTimelineRepository,
        ...(kafka ? kafkaProviders : inProcessProviders),
      ],
    };
  }
}
