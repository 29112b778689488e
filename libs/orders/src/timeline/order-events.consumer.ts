import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Histogram } from 'prom-client';
import { type ConsumedRecord, type ConsumeResult, RecordConsumer } from '@app/messaging';
import { isCausedByData } from '@app/database';
import { Metric } from '@app/observability';
import { ORDERS_WORKER_GROUP } from '../events/order-event';
import { OrderEventDecoder } from './order-event.decoder';
import { OrderTimelineRepository } from './order-timeline.repository';

/** Applies order events to the timeline exactly once per event id. */
@Injectable()
export class OrderEventsConsumer extends RecordConsumer {
  private readonly logger = new Logger(OrderEventsConsumer.name);

  constructor(
    private readonly decoder: OrderEventDecoder,
    private readonly timeline: OrderTimelineRepository,
    @InjectMetric(Metric.commitToConsume) private readonly commitToConsume: Histogram,
  ) {
    super();
  }

  async consume(record: ConsumedRecord): Promise<ConsumeResult> {
    const decoded = this.decoder.decode(record);
    if (!decoded.ok) return { outcome: 'dead-letter', reason: decoded.reason, error: decoded.error };
    const { event } = decoded;
    let outcome: Awaited<ReturnType<OrderTimelineRepository['record']>>;
    try {
      outcome = await this.timeline.record(event, ORDERS_WORKER_GROUP);
    } catch (error) {
      // The record's own data: it would fail the same way forever. Anything else (the database away,
      // a deadlock, a table missing during a deploy) is retried.
      if (isCausedByData(error)) {
        return { outcome: 'dead-letter', reason: 'processing-failed', error: (error as Error).message };
      }
      throw error;
    }
    if (outcome === 'unknown-order') {
      return { outcome: 'dead-letter', reason: 'unknown-subject', error: `no order ${event.data.orderId}` };
    }
    this.logger.log(
      { eventId: event.id, type: event.type, orderId: event.subject, correlationId: event.correlationId, outcome },
      'order event consumed',
    );
    if (outcome === 'processed') this.commitToConsume.observe((Date.now() - Date.parse(event.time)) / 1000);
    return { outcome };
  }
}
