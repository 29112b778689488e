import {
  OrderChangeFeed,
  type Actor,
  type Order,
  type OrderChange,
  type OrderFilter,
  type OrdersRepository,
  type WriteContext,
} from '@app/orders';

type Transaction = Parameters<Parameters<OrdersRepository['transaction']>[0]>[0];
type Origin = Pick<WriteContext, 'correlationId' | 'actor'>;

interface FakeTransaction extends Transaction {
  staged: { change: OrderChange; origin: Origin }[];
}

export interface RecordedEvent {
  type: string;
  orderId: string;
  correlationId: string | null;
  actor: Actor;
}

/**
 * The orders repository's contract in memory: writes inside a transaction become visible (and are
 * announced on the feed) only when it commits; a transaction that throws leaves nothing behind.
 */
export class InMemoryOrders {
  readonly feed = new OrderChangeFeed();
  readonly orders = new Map<string, Order>();
  readonly outbox: RecordedEvent[] = [];

  asRepository(): OrdersRepository {
    return this as unknown as OrdersRepository;
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const tx: FakeTransaction = { manager: null as never, written: [], staged: [] };
    const result = await work(tx);
    for (const { change, origin } of tx.staged) this.commit(change, origin);
    await this.feed.committed(tx.written);
    return result;
  }

  async findById(id: string): Promise<Order | null> {
    return this.orders.get(id) ?? null;
  }

  async findByIdForUpdate(_tx: Transaction, id: string): Promise<Order | null> {
    return this.orders.get(id) ?? null;
  }

  async list(query: Omit<OrderFilter, 'cursor'>): Promise<Order[]> {
    return [...this.orders.values()]
      .filter((order) => !query.status || order.status === query.status)
      .filter((order) => !query.customerId || order.customerId === query.customerId)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, query.limit);
  }

  async place(changes: readonly OrderChange[], origin: Origin, tx?: Transaction): Promise<void> {
    if (tx) {
      for (const change of changes) this.stage(tx, change, origin);
      return;
    }
    for (const change of changes) this.commit(change, origin);
    await this.feed.committed(changes);
  }

  async save(tx: Transaction, change: OrderChange, origin: Origin): Promise<void> {
    this.stage(tx, change, origin);
  }

  private stage(tx: Transaction, change: OrderChange, origin: Origin): void {
    (tx as FakeTransaction).staged.push({ change, origin });
    tx.written.push(change);
  }

  private commit(change: OrderChange, origin: Origin): void {
    this.orders.set(change.order.id, change.order);
    this.outbox.push({
      type: change.eventType,
      orderId: change.order.id,
      correlationId: origin.correlationId,
      actor: origin.actor,
    });
  }
}
