import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { isCausedByData, PreparedStatement } from '@app/database';
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

// The same for many events at once: one statement, one commit. Events arrive as a jsonb array.
// `known` is a scalar subquery, not EXISTS: the generic plan guesses 100 input rows, for which the
// planner turns an EXISTS into a hash of every order id while the table is small (a whole-table scan
// per batch, below some 17,000 orders).
const recordManyStatement = new PreparedStatement<{ event_id: string; known: boolean; recorded: boolean }>(
  'timeline-record-many',
  `WITH input AS (
     SELECT e.*, (SELECT true FROM orders o WHERE o.id = e.order_id) IS NOT NULL AS known
     FROM jsonb_to_recordset($2::jsonb) AS e(event_id uuid, order_id uuid, order_version integer, event_type text,
       status text, previous_status text, occurred_at timestamptz, correlation_id text, actor_subject text,
       actor_role text)
   ), fresh AS (
     INSERT INTO processed_events (consumer_group, event_id)
     SELECT $1::text, event_id FROM input WHERE known
     ON CONFLICT DO NOTHING RETURNING event_id
   ), recorded AS (
     INSERT INTO order_timeline
       (event_id, order_id, order_version, event_type, status, previous_status, occurred_at, correlation_id,
        actor_subject, actor_role)
     SELECT i.event_id, i.order_id, i.order_version, i.event_type, i.status, i.previous_status, i.occurred_at,
            i.correlation_id, i.actor_subject, i.actor_role
     FROM input i JOIN fresh USING (event_id)
     ON CONFLICT DO NOTHING
     RETURNING event_id
   )
   SELECT i.event_id, i.known, EXISTS (SELECT 1 FROM recorded r WHERE r.event_id = i.event_id) AS recorded
   FROM input i`,
);

export type RecordOutcome = 'processed' | 'duplicate' | 'unknown-order';

/** The order timeline projection and the ledger of events the consumer group has applied. */
@Injectable()
export class OrderTimelineRepository {
  /**
   * Events of several partitions are consumed at once: those that arrive together are applied by one
   * statement (DataLoader gathers the calls of one tick), so a busy consumer commits once per batch.
   */
  private readonly batches = new Map<string, DataLoader<OrderEvent, RecordOutcome>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Applies the event once. One statement is one transaction: the ledger row and the timeline row
   * commit together or not at all, and a redelivered event (already in the ledger) adds nothing.
   */
  record(event: OrderEvent, consumerGroup: string): Promise<RecordOutcome> {
    let batch = this.batches.get(consumerGroup);
    if (!batch) {
      batch = new DataLoader((events) => this.recordMany(events, consumerGroup), {
        cache: false,
        maxBatchSize: 500,
      });
      this.batches.set(consumerGroup, batch);
    }
    return batch.load(event);
  }

  /**
   * One statement for the batch. A batch holds each event once (a second copy waits for the next
   * one). When the statement fails because of one event's data, each event is applied on its own, so
   * that only the guilty one fails.
   */
  private async recordMany(events: readonly OrderEvent[], consumerGroup: string): Promise<(RecordOutcome | Error)[]> {
    const oneByOne = () =>
      Promise.all(events.map((event) => this.recordOne(event, consumerGroup).catch((error: Error) => error)));
    if (events.length === 1 || new Set(events.map((event) => event.id)).size < events.length) return oneByOne();
    try {
      const { rows } = await recordManyStatement.run(this.dataSource, [
        consumerGroup,
        JSON.stringify(events.map(timelineRow)),
      ]);
      const byId = new Map(rows.map((row) => [row.event_id, row]));
      return events.map((event) => {
        const row = byId.get(event.id);
        if (!row?.known) return 'unknown-order';
        return row.recorded ? 'processed' : 'duplicate';
      });
    } catch (error) {
      return isCausedByData(error) ? oneByOne() : events.map(() => error as Error);
    }
  }

  private async recordOne(event: OrderEvent, consumerGroup: string): Promise<RecordOutcome> {
    const row = timelineRow(event);
    const { rows } = await recordStatement.run(this.dataSource, [
      consumerGroup,
      row.event_id,
      row.order_id,
      row.order_version,
      row.event_type,
      row.status,
      row.previous_status,
      row.occurred_at,
      row.correlation_id,
      row.actor_subject,
      row.actor_role,
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

/** The timeline row an event becomes. */
function timelineRow(event: OrderEvent) {
  const { order, previousStatus, actor } = event.data;
  return {
    event_id: event.id,
    order_id: order.id,
    order_version: order.version,
    event_type: event.type,
    status: order.status,
    previous_status: previousStatus,
    occurred_at: event.time,
    correlation_id: event.correlationId,
    actor_subject: actor?.subject ?? null,
    actor_role: actor?.role ?? null,
  };
}
