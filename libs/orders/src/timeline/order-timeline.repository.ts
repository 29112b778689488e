import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '@app/database';
import type { OrderEventType } from '../domain/order-event-type';
import type { Actor } from '../actor';
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
  /** Who made the change; null for events written before events named their actor. */
  actor: Actor | null;
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
       (event_id, order_id, order_version, event_type, status, previous_status, occurred_at, correlation_id,
        actor_subject, actor_role)
     SELECT event_id, $3::uuid, $4, $5, $6, $7, $8, $9, $10, $11 FROM fresh
     ON CONFLICT DO NOTHING -- already recorded, though its ledger row has been purged since
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
    const { order, previousStatus, actor } = event.data;
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
      actor?.subject ?? null,
      actor?.role ?? null,
    ]);
    if (!rows[0].known) return 'unknown-order';
    return rows[0].recorded === 1 ? 'processed' : 'duplicate';
  }

  /** Deletes up to `limit` ledger rows processed more than `days` days ago. */
  deleteProcessedOlderThan(days: number, limit: number): Promise<number> {
    return this.deleteOldest('processed_events', 'processed_at', days, limit);
  }

  /** Deletes up to `limit` timeline entries recorded more than `days` days ago. */
  deleteTimelineOlderThan(days: number, limit: number): Promise<number> {
    return this.deleteOldest('order_timeline', 'recorded_at', days, limit);
  }

  /**
   * One bounded batch. Rows are found through the index on their age and deleted by their physical
   * address (ctid, stable while the rows are locked): matching the batch on the key instead lets the
   * planner scan the whole table for every batch. Rows another purge holds are skipped.
   */
  private async deleteOldest(
    table: 'processed_events' | 'order_timeline',
    ageColumn: 'processed_at' | 'recorded_at',
    days: number,
    limit: number,
  ): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM ${table} WHERE ${ageColumn} < now() - make_interval(days => $1)
         LIMIT $2 FOR UPDATE SKIP LOCKED))`,
      [days, limit],
    );
    return affected;
  }

  async findByOrder(orderId: string): Promise<TimelineEntry[]> {
    const rows: Record<string, never>[] = await this.dataSource.query(
      `SELECT event_id, event_type, order_version, status, previous_status, occurred_at, recorded_at, correlation_id,
              actor_subject, actor_role
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
      actor: row.actor_subject === null ? null : { subject: row.actor_subject, role: row.actor_role },
    }));
  }
}
