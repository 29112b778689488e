import { Module } from '@nestjs/common';

/** The worker role: outbox relay (database -> Kafka) and the order event consumer. */
@Module({})
export class OrdersWorkerModule {}
