import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '@app/database';
import type { OrderEventType } from '../domain/order-event-type';
import type { OrderStatus } from '../domain/order-status';
import type { OrderEvent } from '../events/order-event';

export interface TimelineEntry {
  eventId: string;
  type: OrderEventType;
  orderVersion: number;
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  occurredAt: Date;
  recordedAt: Date;
  correlationId: string | null;
}

// Only events of orders that exist are applied: an event about another one is not ours (forged or
// misrouted) and must not create a timeline.
const recordStatement = new PreparedStatement<{ known: boolean; recorded: number }>(
  'timeline-record',
  `WITH known AS (
     SELECT EXISTS (SELECT 1 FROM orders WHERE id = $3::uuid) AS known
   ), fresh AS (
     INSERT INTO processed_events (consumer_group, event_id)
     SELECT $1::text, $2::uuid FROM known WHERE known
     ON CONFLICT DO NOTHING RETURNING event_id
   ), recorded AS (
     INSERT INTO order_timeline
       (event_id, order_id, order_version, event_type, status, previous_status, occurred_at, correlation_id)
     SELECT event_id, $3::uuid, $4, $5, $6, $7, $8, $9 FROM fresh
     RETURNING 1
   )
   SELECT (SELECT known FROM known) AS known, (SELECT count(*) FROM recorded)::int AS recorded`,
);

/** The order timeline projection and the ledger of events the consumer group has applied. */
@Injectable()
export class OrderTimelineRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Applies the event once. One statement is one transaction: the ledger row and the timeline row
   * commit together or not at all, and a redelivered event (already in the ledger) adds nothing.
   */
  async record(event: OrderEvent, consumerGroup: string): Promise<'processed' | 'duplicate' | 'unknown-order'> {
    const { order, previousStatus } = event.data;
    const { rows } = await recordStatement.run(this.dataSource, [
      consumerGroup,
      event.id,
      order.id,
      order.version,
      event.type,
      order.status,
      previousStatus,
      event.time,
      event.correlationId,
    ]);
    if (!rows[0].known) return 'unknown-order';
    return rows[0].recorded === 1 ? 'processed' : 'duplicate';
  }

  async findByOrder(orderId: string): Promise<TimelineEntry[]> {
    const rows: Record<string, never>[] = await this.dataSource.query(
      `SELECT event_id, event_type, order_version, status, previous_status, occurred_at, recorded_at, correlation_id
       FROM order_timeline WHERE order_id = $1 ORDER BY order_version, occurred_at`,
      [orderId],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      type: row.event_type,
      orderVersion: row.order_version,
      status: row.status,
      previousStatus: row.previous_status,
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at,
      correlationId: row.correlation_id,
    }));
  }
}
