import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { Metric } from '@app/observability/metrics';
import { setTimeout as sleep } from 'node:timers/promises';
import { ORDERS_WORKER_GROUP } from '../order-event';
import type { ConsumedRecord, ConsumeOutcome } from './consumed-record';
import { DeadLetterSink } from './dead-letter.sink';
import { OrderEventDecoder } from './order-event.decoder';
import { OrderTimelineRepository } from './order-timeline.repository';

/** Pauses between attempts at a failing event; after the last one it is dead-lettered. */
export const RETRY_DELAYS_MS = [100, 500, 2_000];

/** Applies order events to the timeline exactly once per event id; never blocks its partition. */
@Injectable()
export class OrderEventsConsumer {
  private readonly logger = new Logger(OrderEventsConsumer.name);

  constructor(
    private readonly decoder: OrderEventDecoder,
    private readonly timeline: OrderTimelineRepository,
    private readonly deadLetters: DeadLetterSink,
    @InjectMetric(Metric.eventsConsumed) private readonly consumed: Counter<'result'>,
    @InjectMetric(Metric.commitToConsume) private readonly commitToConsume: Histogram,
  ) {
    // Every result series exists from the start, so the first dead letter shows in increase().
    for (const result of ['processed', 'duplicate', 'retried', 'dead_lettered']) this.consumed.inc({ result }, 0);
  }

  async consume(record: ConsumedRecord): Promise<ConsumeOutcome> {
    const decoded = this.decoder.decode(record);
    if (!decoded.ok) {
      this.logger.warn(
        { reason: decoded.reason, error: decoded.error, partition: record.partition, offset: record.offset },
        'dead-lettering record',
      );
      await this.deadLetters.send(record, decoded.reason, decoded.error);
      this.consumed.inc({ result: 'dead_lettered' });
      return 'dead-lettered';
    }
    const { event } = decoded;
    const context = { eventId: event.id, type: event.type, orderId: event.subject, correlationId: event.correlationId };
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await this.timeline.record(event, ORDERS_WORKER_GROUP);
        this.logger.log({ ...context, outcome }, 'order event consumed');
        this.consumed.inc({ result: outcome });
        if (outcome === 'processed') this.commitToConsume.observe((Date.now() - Date.parse(event.time)) / 1000);
        return outcome;
      } catch (error) {
        if (attempt >= RETRY_DELAYS_MS.length) {
          this.logger.error({ ...context, err: error }, 'order event failed after retries; dead-lettering');
          await this.deadLetters.send(record, 'processing-failed', (error as Error).message);
          this.consumed.inc({ result: 'dead_lettered' });
          return 'dead-lettered';
        }
        this.logger.warn({ ...context, attempt: attempt + 1, err: error }, 'order event failed; retrying');
        this.consumed.inc({ result: 'retried' });
        await sleep(RETRY_DELAYS_MS[attempt]);
      }
    }
  }
}
