import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { OrderChange } from '@app/orders/domain/order';
import type { OrderEventType } from '@app/orders/domain/order-event-type';
import { PreparedStatement } from '@app/database/prepared-statement';
import type { OrderEventData } from '../order-event';

/** The NOTIFY channel that wakes relays in other processes as soon as an outbox write commits. */
export const OUTBOX_CHANNEL = 'orders_outbox';

/** An event waiting in the outbox (or just taken from it) for publication. */
export interface OutboxRecord {
  id: string;
  eventId: string;
  orderId: string;
  eventType: OrderEventType;
  data: OrderEventData;
  correlationId: string | null;
  createdAt: Date;
}

interface OutboxRow {
  id: string;
  event_id: string;
  order_id: string;
  event_type: OrderEventType;
  payload: OrderEventData;
  correlation_id: string | null;
  created_at: Date;
}

/**
 * Inserts the outbox rows of one jsonb array parameter (see outboxRows), in order: a CTE any write
 * can carry, so an order and its events go in one statement (a data-modifying CTE always runs).
 */
export const insertOutboxRows = (param: string) =>
  `INSERT INTO outbox (event_id, order_id, event_type, payload, correlation_id)
   SELECT (e->>'event_id')::uuid, (e->>'order_id')::uuid, e->>'event_type', e->'payload', e->>'correlation_id'
   FROM jsonb_array_elements(${param}::jsonb) WITH ORDINALITY AS r(e, n)
   ORDER BY n`;

/** The outbox rows announcing `changes`, as the jsonb parameter insertOutboxRows reads. */
export function outboxRows(changes: readonly OrderChange[], correlationId: string | null): string {
  return JSON.stringify(
    changes.map(({ order, eventType, previousStatus }) => {
      const data: OrderEventData = { orderId: order.id, previousStatus, order };
      return {
        event_id: uuidv7(),
        order_id: order.id,
        event_type: eventType,
        payload: data,
        correlation_id: correlationId,
      };
    }),
  );
}

// The NOTIFY rides along and is delivered only if the transaction commits.
const appendStatement = new PreparedStatement(
  'outbox-append',
  `WITH written AS (${insertOutboxRows('$1')})
   SELECT pg_notify($2, '')`,
);

const fetchPendingStatement = new PreparedStatement<OutboxRow>(
  'outbox-fetch-pending',
  `SELECT id, event_id, order_id, event_type, payload, correlation_id, created_at
   FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1`,
);

const markPublishedStatement = new PreparedStatement(
  'outbox-mark-published',
  `UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`,
);

/** The transactional outbox: written with each order change, read and marked by the relay. */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records the changes' events in the caller's transaction; the relay is woken once it commits. */
  async append(manager: EntityManager, changes: readonly OrderChange[], correlationId: string | null): Promise<void> {
    if (changes.length === 0) return;
    await appendStatement.run(manager, [outboxRows(changes, correlationId), OUTBOX_CHANNEL]);
  }

  /** The oldest unpublished events, in commit order per order (ids grow with each insert). */
  async fetchPending(limit: number): Promise<OutboxRecord[]> {
    const { rows } = await fetchPendingStatement.run(this.dataSource, [limit]);
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      orderId: row.order_id,
      eventType: row.event_type,
      data: row.payload,
      correlationId: row.correlation_id,
      createdAt: row.created_at,
    }));
  }

  async markPublished(records: readonly OutboxRecord[]): Promise<void> {
    await markPublishedStatement.run(this.dataSource, [records.map((record) => record.id)]);
  }

  /** How many events wait, and for how long the oldest has waited. */
  async pendingStats(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const [row]: { pending: string; age: number | null }[] = await this.dataSource.query(
      `SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at))::float8 AS age
       FROM outbox WHERE published_at IS NULL`,
    );
    return { pending: Number(row.pending), oldestAgeSeconds: Math.max(0, row.age ?? 0) };
  }

  /** Published rows are kept for a while for inspection, then dropped. */
  async deletePublishedBefore(cutoff: Date): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1`,
      [cutoff],
    );
    return affected;
  }
}
