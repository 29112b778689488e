import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource, EntityManager } from 'typeorm';
import { PreparedStatement } from '@app/database';
import type { Order, OrderChange } from '../domain/order';
import type { OrderStatus } from '../domain/order-status';
import { OUTBOX_CHANNEL } from '../events/order-event';
import { OrderEventContract } from '../events/order-event-contract';
import { OrderChangeFeed } from '../order-change-feed';
import { jsonArrayInSlices } from './json-in-slices';
import { type ChangeOrigin, insertOutboxRows, outboxRow } from './order-outbox';
import {
  MUTABLE_ORDER_COLUMNS,
  ORDER_WITH_LINES,
  type OrderLineRow,
  type OrderRow,
  toLineRows,
  toOrder,
  toOrderRow,
} from './order-table';

export interface OrderListQuery {
  status?: OrderStatus;
  customerId?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** Position after which the page starts: the last order of the previous page. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** A transaction over the orders tables; the changes written in it are announced once it commits. */
export interface OrdersTransaction {
  readonly manager: EntityManager;
  readonly written: OrderChange[];
}

type OrderWithLinesRow = OrderRow & { lines: OrderLineRow[] | null };

/** One caller's new orders and where they came from. */
interface Placement {
  changes: readonly OrderChange[];
  origin: ChangeOrigin;
}

const findStatement = new PreparedStatement<OrderWithLinesRow>(
  'orders-find',
  `SELECT ${ORDER_WITH_LINES} FROM orders o WHERE o.id = $1`,
);

const findForUpdateStatement = new PreparedStatement<OrderWithLinesRow>(
  'orders-find-for-update',
  `SELECT ${ORDER_WITH_LINES} FROM orders o WHERE o.id = $1 FOR UPDATE`,
);

// New orders, their lines and their events in one statement; the NOTIFY is delivered on commit.
const placeStatement = new PreparedStatement(
  'orders-place',
  `WITH new_orders AS (
     INSERT INTO orders SELECT * FROM jsonb_populate_recordset(NULL::orders, $1::jsonb)
   ), new_lines AS (
     INSERT INTO order_lines SELECT * FROM jsonb_populate_recordset(NULL::order_lines, $2::jsonb)
   ), written AS (${insertOutboxRows('$3')})
   SELECT pg_notify($4, '')`,
);

// A changed order and its event in one statement.
const saveStatement = new PreparedStatement(
  'orders-save',
  `WITH saved AS (
     UPDATE orders SET (${MUTABLE_ORDER_COLUMNS.join(', ')}) =
       (SELECT ${MUTABLE_ORDER_COLUMNS.join(', ')} FROM jsonb_populate_record(NULL::orders, $1::jsonb))
     WHERE id = $2
   ), written AS (${insertOutboxRows('$3')})
   SELECT pg_notify($4, '')`,
);

/** Orders and their lines in PostgreSQL, each write together with the events announcing it. */
@Injectable()
export class OrdersRepository {
  /**
   * Single placements outside a transaction that arrive together (one turn of the event loop) share
   * one statement, so one commit, one NOTIFY and one cache invalidation serve them all: the database's
   * work per order is mostly per statement. Each caller still learns only once its rows committed.
   */
  private readonly placements = new DataLoader<Placement, void>((batch) => this.placeTogether(batch), {
    cache: false,
    maxBatchSize: 100,
    batchScheduleFn: (run) => setImmediate(run),
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly feed: OrderChangeFeed,
    private readonly contract: OrderEventContract,
  ) {}

  async transaction<T>(work: (tx: OrdersTransaction) => Promise<T>): Promise<T> {
    const written: OrderChange[] = [];
    const result = await this.dataSource.transaction((manager) => work({ manager, written }));
    await this.feed.committed(written);
    return result;
  }

  async findById(id: string): Promise<Order | null> {
    const { rows } = await findStatement.run(this.dataSource, [id]);
    return rows[0] ? toOrder(rows[0]) : null;
  }

  /** Reads the order and holds its row lock until the transaction ends, so writers queue up. */
  async findByIdForUpdate(tx: OrdersTransaction, id: string): Promise<Order | null> {
    const { rows } = await findForUpdateStatement.run(tx.manager, [id]);
    return rows[0] ? toOrder(rows[0]) : null;
  }

  async list(query: OrderListQuery): Promise<Order[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (sql: (param: string) => string, ...values: unknown[]) => {
      const refs = values.map((value) => `$${params.push(value)}`);
      conditions.push(sql(refs.join(', ')));
    };
    if (query.status) where((p) => `o.status = ${p}`, query.status);
    if (query.customerId) where((p) => `o.customer_id = ${p}`, query.customerId);
    if (query.createdFrom) where((p) => `o.created_at >= ${p}`, query.createdFrom);
    if (query.createdTo) where((p) => `o.created_at < ${p}`, query.createdTo);
    if (query.after) where((p) => `(o.created_at, o.id) < (${p})`, query.after.createdAt, query.after.id);
    const rows: OrderWithLinesRow[] = await this.dataSource.query(
      `SELECT ${ORDER_WITH_LINES} FROM orders o
       ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY o.created_at DESC, o.id DESC LIMIT $${params.push(query.limit)}`,
      params,
    );
    return rows.map(toOrder);
  }

  async countByStatus(): Promise<Partial<Record<OrderStatus, number>>> {
    const rows: { status: OrderStatus; n: string }[] = await this.dataSource.query(
      'SELECT status, count(*) AS n FROM orders GROUP BY status',
    );
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  }

  /**
   * New orders, their lines and the events announcing them in one statement, hence one transaction
   * on its own: rows travel as three jsonb parameters, so a bulk of 1,000 orders is one round trip
   * (serialized a slice at a time, see jsonArrayInSlices).
   * (Every data-modifying CTE runs to completion, read or not.) Given a transaction, it runs inside it;
   * a single order without one may share its statement with others (see `placements`).
   */
  async place(changes: readonly OrderChange[], origin: ChangeOrigin, tx?: OrdersTransaction): Promise<void> {
    if (tx) {
      await this.insert([{ changes, origin }], tx.manager);
      tx.written.push(...changes);
    } else if (changes.length === 1) {
      await this.placements.load({ changes, origin });
    } else {
      await this.insert([{ changes, origin }], this.dataSource);
      await this.feed.committed(changes);
    }
  }

  /**
   * All or nothing for the batch. When it fails, each placement is tried on its own, so that a bad
   * one fails alone and every caller gets its own answer.
   */
  private async placeTogether(batch: readonly Placement[]): Promise<(void | Error)[]> {
    try {
      await this.insert(batch, this.dataSource);
    } catch (error) {
      if (batch.length > 1) {
        return Promise.all(batch.map((one) => this.placeTogether([one]).then(([result]) => result)));
      }
      return batch.map(() => error as Error);
    }
    await this.feed.committed(batch.flatMap((placement) => placement.changes));
    return batch.map(() => undefined);
  }

  private async insert(batch: readonly Placement[], on: DataSource | EntityManager): Promise<void> {
    const changes = batch.flatMap(({ changes, origin }) => changes.map((change) => ({ change, origin })));
    await placeStatement.run(on, [
      await jsonArrayInSlices(changes, ({ change }) => [toOrderRow(change.order)]),
      await jsonArrayInSlices(changes, ({ change }) => toLineRows(change.order)),
      await jsonArrayInSlices(changes, ({ change, origin }) => [outboxRow(change, origin, this.contract)]),
      OUTBOX_CHANNEL,
    ]);
  }

  /** Writes a changed order (its lines only if they changed) and its event, inside the transaction. */
  async save(tx: OrdersTransaction, change: OrderChange, origin: ChangeOrigin, linesChanged: boolean): Promise<void> {
    const { order } = change;
    if (linesChanged) {
      await tx.manager.query('DELETE FROM order_lines WHERE order_id = $1', [order.id]);
      await tx.manager.query(
        'INSERT INTO order_lines SELECT * FROM jsonb_populate_recordset(NULL::order_lines, $1::jsonb)',
        [JSON.stringify(toLineRows(order))],
      );
    }
    await saveStatement.run(tx.manager, [
      JSON.stringify(toOrderRow(order)),
      order.id,
      JSON.stringify([outboxRow(change, origin, this.contract)]),
      OUTBOX_CHANNEL,
    ]);
    tx.written.push(change);
  }
}
