import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '@app/database';
import { type OutboxRecord, OutboxStore } from '@app/messaging';
import type { OrderEventType } from '../domain/order-event-type';
import type { OrderEventData } from '../events/order-event';

interface OutboxRow {
  id: string;
  event_id: string;
  order_id: string;
  event_type: OrderEventType;
  payload: OrderEventData;
  correlation_id: string | null;
  created_at: Date;
}

const fetchPendingStatement = new PreparedStatement<OutboxRow>(
  'outbox-fetch-pending',
  `SELECT id, event_id, order_id, event_type, payload, correlation_id, created_at
   FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1`,
);

const markPublishedStatement = new PreparedStatement(
  'outbox-mark-published',
  `UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])`,
);

/** The orders outbox as the relay reads it: the key of every event is its order id. */
@Injectable()
export class OrderOutboxStore extends OutboxStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async fetchPending(limit: number): Promise<OutboxRecord[]> {
    const { rows } = await fetchPendingStatement.run(this.dataSource, [limit]);
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      key: row.order_id,
      type: row.event_type,
      payload: row.payload,
      correlationId: row.correlation_id,
      createdAt: row.created_at,
    }));
  }

  async markPublished(records: readonly OutboxRecord[]): Promise<void> {
    await markPublishedStatement.run(this.dataSource, [records.map((record) => record.id)]);
  }

  async pendingStats(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const [row]: { pending: string; age: number | null }[] = await this.dataSource.query(
      `SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at))::float8 AS age
       FROM outbox WHERE published_at IS NULL`,
    );
    return { pending: Number(row.pending), oldestAgeSeconds: Math.max(0, row.age ?? 0) };
  }

  async deletePublishedBefore(cutoff: Date): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1`,
      [cutoff],
    );
    return affected;
  }
}
