import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { PreparedStatement } from '@app/database/prepared-statement';
import { insertOutboxRows, OUTBOX_CHANNEL, outboxRows } from '@app/messaging/outbox/outbox.repository';
import type { Order, OrderChange } from '../domain/order';
import { OrderStatus } from '../domain/order-status';
import { OrderLineEntity } from './order-line.entity';
import { OrderEntity } from './order.entity';

export interface OrderListQuery {
  status?: OrderStatus;
  customerId?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** Position after which the page starts: the last order of the previous page. */
  after?: { createdAt: Date; id: string };
  limit: number;
}

const placeStatement = new PreparedStatement(
  'orders-place',
  `WITH new_orders AS (
     INSERT INTO orders (id, customer_id, status, currency, total_amount, shipping_address, notes, version, created_at, updated_at)
     SELECT id, "customerId", status, currency, "totalAmount", "shippingAddress", notes, version, "createdAt", "updatedAt"
     FROM jsonb_to_recordset($1::jsonb) AS o(id uuid, "customerId" text, status text, currency text, "totalAmount" bigint,
       "shippingAddress" jsonb, notes text, version integer, "createdAt" timestamptz, "updatedAt" timestamptz)
   ), new_lines AS (
     INSERT INTO order_lines (order_id, position, sku, name, quantity, unit_price, line_total)
     SELECT order_id, position, sku, name, quantity, "unitPrice", "lineTotal"
     FROM jsonb_to_recordset($2::jsonb) AS l(order_id uuid, position smallint, sku text, name text, quantity integer,
       "unitPrice" bigint, "lineTotal" bigint)
   ), written AS (${insertOutboxRows('$3')})
   SELECT pg_notify($4, '')`,
);

/** Orders and their lines in PostgreSQL; the only class that knows the tables' shape. */
@Injectable()
export class OrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async findById(id: string): Promise<Order | null> {
    const entity = await this.dataSource.manager.findOne(OrderEntity, { where: { id } });
    if (!entity) return null;
    return this.withLines(this.dataSource.manager, [entity]).then(([order]) => order);
  }

  /** Reads the order and holds its row lock until the transaction ends, so writers queue up. */
  async findByIdForUpdate(manager: EntityManager, id: string): Promise<Order | null> {
    const entity = await manager.findOne(OrderEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!entity) return null;
    return this.withLines(manager, [entity]).then(([order]) => order);
  }

  async list(query: OrderListQuery): Promise<Order[]> {
    const builder = this.dataSource.manager
      .createQueryBuilder(OrderEntity, 'o')
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .limit(query.limit);
    if (query.status) builder.andWhere('o.status = :status', { status: query.status });
    if (query.customerId) builder.andWhere('o.customer_id = :customerId', { customerId: query.customerId });
    if (query.createdFrom) builder.andWhere('o.created_at >= :createdFrom', { createdFrom: query.createdFrom });
    if (query.createdTo) builder.andWhere('o.created_at < :createdTo', { createdTo: query.createdTo });
    if (query.after) {
      const { createdAt, id } = query.after;
      builder.andWhere('(o.created_at, o.id) < (:afterCreatedAt, :afterId)', {
        afterCreatedAt: createdAt,
        afterId: id,
      });
    }
    return this.withLines(this.dataSource.manager, await builder.getMany());
  }

  async countByStatus(): Promise<Partial<Record<OrderStatus, number>>> {
    const rows: { status: OrderStatus; n: string }[] = await this.dataSource.query(
      'SELECT status, count(*) AS n FROM orders GROUP BY status',
    );
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  }

  /**
   * New orders, their lines and the events announcing them in one statement, hence one transaction
   * on its own: rows travel as three jsonb parameters, so a bulk of 1,000 orders is one round trip.
   * (Every data-modifying CTE runs to completion, read or not.) The NOTIFY reaches relays once it
   * commits. Given a transaction, it runs inside it.
   */
  async place(changes: readonly OrderChange[], correlationId: string | null, manager?: EntityManager): Promise<void> {
    const orders = changes.map((change) => change.order);
    const lines = orders.flatMap((order) =>
      order.lines.map((line, position) => ({ order_id: order.id, position, ...line })),
    );
    await placeStatement.run(manager ?? this.dataSource, [
      JSON.stringify(orders),
      JSON.stringify(lines),
      outboxRows(changes, correlationId),
      OUTBOX_CHANNEL,
    ]);
  }

  async update(manager: EntityManager, order: Order, linesChanged: boolean): Promise<void> {
    await manager.update(OrderEntity, { id: order.id }, toEntity(order));
    if (linesChanged) {
      await manager.delete(OrderLineEntity, { orderId: order.id });
      await this.insertLines(manager, order);
    }
  }

  private async insertLines(manager: EntityManager, order: Order): Promise<void> {
    await manager.insert(
      OrderLineEntity,
      order.lines.map((line, position) => ({ orderId: order.id, position, ...line })),
    );
  }

  private async withLines(manager: EntityManager, entities: OrderEntity[]): Promise<Order[]> {
    if (entities.length === 0) return [];
    const lines = await manager.find(OrderLineEntity, {
      where: { orderId: In(entities.map((entity) => entity.id)) },
      order: { orderId: 'ASC', position: 'ASC' },
    });
    const linesByOrder = new Map<string, OrderLineEntity[]>();
    for (const line of lines) linesByOrder.set(line.orderId, [...(linesByOrder.get(line.orderId) ?? []), line]);
    return entities.map((entity) => toOrder(entity, linesByOrder.get(entity.id) ?? []));
  }
}

function toEntity(order: Order): Omit<OrderEntity, 'lines'> {
  const { lines: _lines, ...columns } = order;
  return columns;
}

function toOrder(entity: OrderEntity, lines: OrderLineEntity[]): Order {
  return {
    ...entity,
    lines: lines.map(({ sku, name, quantity, unitPrice, lineTotal }) => ({
      sku,
      name,
      quantity,
      unitPrice,
      lineTotal,
    })),
  };
}
