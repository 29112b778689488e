import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Metric, scrapeGauge } from '@app/observability';
import { EVENT_STREAM, type EventStream } from '../event-stream';
import { KafkaAdmin } from './kafka-admin';

/** Lag of the worker's consumer group per partition, read from the broker at scrape time. */
@Injectable()
export class ConsumerLagMetrics implements OnModuleInit {
  private readonly logger = new Logger(ConsumerLagMetrics.name);

  constructor(
    private readonly admin: KafkaAdmin,
    @Inject(EVENT_STREAM) private readonly stream: EventStream,
  ) {}

  onModuleInit(): void {
    scrapeGauge(
      Metric.consumerLag,
      "Messages the service's consumer group has yet to consume",
      ['topic', 'partition'],
      async (gauge) => {
        try {
          for (const { partition, lag } of await this.lag())
            gauge.set({ topic: this.stream.topic, partition: String(partition) }, lag);
        } catch (error) {
          // A scrape must not fail because Kafka is away; the gauge keeps its last values.
          this.logger.debug({ err: error }, 'Could not read consumer lag');
        }
      },
      'shared',
    );
  }

  private async lag(): Promise<{ partition: number; lag: number }[]> {
    const [ends, [committed]] = await this.admin.ask((admin) =>
      Promise.all([
        admin.fetchTopicOffsets(this.stream.topic),
        admin.fetchOffsets({ groupId: this.stream.consumerGroup, topics: [this.stream.topic] }),
      ]),
    );
    return ends.map(({ partition, high, low }) => {
      const position = committed.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      const from = BigInt(position) >= 0n ? BigInt(position) : BigInt(low);
      return { partition, lag: Number(BigInt(high) - from) };
    });
  }
}
