import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Order } from '../domain/order';
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

// Lines of big bulk inserts go in slices so one statement stays under PostgreSQL's 65,535 parameters.
const LINES_PER_INSERT = 5_000;

/** Orders and their lines in PostgreSQL; the only class that knows the tables' shape. */
@Injectable()
export class OrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Order | null> {
    const entity = await manager.findOne(OrderEntity, { where: { id } });
    if (!entity) return null;
    return this.withLines(manager, [entity]).then(([order]) => order);
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

  async insert(manager: EntityManager, orders: readonly Order[]): Promise<void> {
    await manager.insert(OrderEntity, orders.map(toEntity));
    await this.insertLines(manager, orders);
  }

  async update(manager: EntityManager, order: Order, linesChanged: boolean): Promise<void> {
    await manager.update(OrderEntity, { id: order.id }, toEntity(order));
    if (linesChanged) {
      await manager.delete(OrderLineEntity, { orderId: order.id });
      await this.insertLines(manager, [order]);
    }
  }

  private async insertLines(manager: EntityManager, orders: readonly Order[]): Promise<void> {
    const rows = orders.flatMap((order) =>
      order.lines.map((line, position) => ({ orderId: order.id, position, ...line })),
    );
    for (let start = 0; start < rows.length; start += LINES_PER_INSERT) {
      await manager.insert(OrderLineEntity, rows.slice(start, start + LINES_PER_INSERT));
    }
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
