import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { Metric } from '@app/observability/metrics';
import { scrapeGauge } from '@app/observability/scrape-gauge';
import { ORDERS_TOPIC, ORDERS_WORKER_GROUP } from '../order-event';

/** Lag of the worker's consumer group per partition, read from the broker at scrape time. */
@Injectable()
export class ConsumerLagMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ConsumerLagMetrics.name);
  private admin: Admin | null = null;

  constructor(private readonly kafka: Kafka) {}

  onModuleInit(): void {
    scrapeGauge(
      Metric.consumerLag,
      'Messages the orders-worker group has yet to consume',
      ['topic', 'partition'],
      async (gauge) => {
        try {
          for (const { partition, lag } of await this.lag())
            gauge.set({ topic: ORDERS_TOPIC, partition: String(partition) }, lag);
        } catch (error) {
          // A scrape must not fail because Kafka is away; the gauge keeps its last values.
          this.logger.debug({ err: error }, 'Could not read consumer lag');
        }
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.admin?.disconnect();
  }

  private async lag(): Promise<{ partition: number; lag: number }[]> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const [ends, [committed]] = await Promise.all([
      this.admin.fetchTopicOffsets(ORDERS_TOPIC),
      this.admin.fetchOffsets({ groupId: ORDERS_WORKER_GROUP, topics: [ORDERS_TOPIC] }),
    ]);
    return ends.map(({ partition, high, low }) => {
      const position = committed.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      const from = BigInt(position) >= 0n ? BigInt(position) : BigInt(low);
      return { partition, lag: Number(BigInt(high) - from) };
    });
  }
}
