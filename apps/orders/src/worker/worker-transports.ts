import type { MicroserviceOptions } from '@nestjs/microservices';
import type { AppConfig } from '@app/config';
import { kafkaConsumerOptions } from '@app/messaging';
import { ORDERS_WORKER_GROUP } from '@app/orders';

/** The worker's Kafka consumer transport (group orders-worker); none in embedded mode (events stay in-process). */
export function workerTransports(config: AppConfig): MicroserviceOptions[] {
  const { brokers } = config.kafka;
  return brokers ? [kafkaConsumerOptions(config, brokers, ORDERS_WORKER_GROUP)] : [];
}
