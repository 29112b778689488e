import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { loadConfig } from '@app/config';
import {
  IdempotencyKeyReuseError,
  IllegalTransitionError,
  OrderNotFoundError,
  OrdersService,
  OrderStatus,
  VersionMismatchError,
  type OrderDraft,
} from '@app/orders';
import { InMemoryOrders } from './fakes/in-memory-orders';

const draft = (customerId = 'customer-1'): OrderDraft => ({
  customerId,
  currency: 'eur',
  lines: [
    { sku: 'SKU-1', name: 'Keyboard', quantity: 2, unitPrice: 4999 },
    { sku: 'SKU-2', name: 'Mouse', quantity: 1, unitPrice: 2500 },
  ],
  shippingAddress: { recipient: 'Ada', line1: '12 St James Square', city: 'London', postalCode: 'SW1Y', country: 'GB' },
});
const admin = { subject: 'admin-1', role: 'admin' };
const ctx = { correlationId: 'req-1', actor: admin, customerScope: null };
/** A customer's write context: it acts for, and may see, customer-1 only. */
const customer = (subject = 'customer-1') => ({
  correlationId: null,
  actor: { subject, role: 'customer' },
  customerScope: subject,
});

/** Idempotency keys in memory, with the repository's claim semantics (first claim of a principal's key wins). */
class InMemoryIdempotency {
  private readonly keys = new Map<string, { requestHash: string; response: unknown }>();
  async claim(_tx: unknown, principal: string, key: string, requestHash: string): Promise<boolean> {
    if (this.keys.has(`${principal} ${key}`)) return false;
    this.keys.set(`${principal} ${key}`, { requestHash, response: null });
    return true;
  }
  async saveResponse(_tx: unknown, principal: string, key: string, response: unknown): Promise<void> {
    this.keys.get(`${principal} ${key}`)!.response = JSON.parse(JSON.stringify(response));
  }
  async find(principal: string, key: string) {
    return this.keys.get(`${principal} ${key}`) ?? null;
  }
}

describe('OrdersService (use cases, repositories faked)', () => {
  let store: InMemoryOrders;
  let service: OrdersService;
  let announced: string[];

  beforeEach(() => {
    store = new InMemoryOrders();
    announced = [];
    store.feed.onCommitted((changes) => void announced.push(...changes.map((c) => `${c.eventType}:${c.order.id}`)));
    const passThroughCache = {
      order: async (_id: string, load: () => Promise<unknown>) => ({ value: await load(), hit: false }),
      page: async (_filter: object, load: () => Promise<unknown>) => ({ value: await load(), hit: false }),
    };
    const metrics = { recordPlaced: () => undefined, recordTransition: () => undefined };
    service = new OrdersService(
      store.asRepository(),
      new InMemoryIdempotency() as never,
      { findByOrder: async () => [] } as never,
      passThroughCache as never,
      metrics as never,
      loadConfig({}),
    );
  });

  it('places an order with server-computed totals and records ORDER_PLACED with the request id', async () => {
    const { order, replayed } = await service.place(draft(), ctx);
    assert.equal(replayed, false);
    assert.equal(order.status, OrderStatus.PLACED);
    assert.equal(order.currency, 'EUR');
    assert.equal(order.totalAmount, 2 * 4999 + 2500);
    assert.deepEqual(store.outbox, [{ type: 'ORDER_PLACED', orderId: order.id, correlationId: 'req-1', actor: admin }]);
    assert.deepEqual(announced, [`ORDER_PLACED:${order.id}`]);
  });

  it('replays the first response for a repeated Idempotency-Key and refuses it with another body', async () => {
    const first = await service.place(draft(), ctx, 'key-1');
    const again = await service.place(draft(), ctx, 'key-1');
    assert.equal(again.replayed, true);
    assert.equal(again.order.id, first.order.id);
    assert.ok(again.order.createdAt instanceof Date);
    assert.equal(store.orders.size, 1);
    await assert.rejects(service.place(draft('someone-else'), ctx, 'key-1'), IdempotencyKeyReuseError);
    assert.equal(store.outbox.length, 1);
  });

  it('moves an order through its lifecycle, one event per step, each announced after commit', async () => {
    const { order } = await service.place(draft(), ctx);
    for (const status of [OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED]) {
      await service.transition(order.id, status, ctx);
    }
    assert.deepEqual(
      store.outbox.map((event) => event.type),
      ['ORDER_PLACED', 'ORDER_CONFIRMED', 'ORDER_SHIPPED', 'ORDER_DELIVERED'],
    );
    assert.equal(announced.length, 4);
    assert.equal(store.orders.get(order.id)!.version, 4);
  });

  it('writes and announces nothing when If-Match names an old version or the transition is illegal', async () => {
    const { order } = await service.place(draft(), ctx);
    await assert.rejects(
      service.transition(order.id, OrderStatus.CONFIRMED, { ...ctx, expectedVersions: [7] }),
      VersionMismatchError,
    );
    await assert.rejects(service.transition(order.id, OrderStatus.DELIVERED, ctx), IllegalTransitionError);
    assert.equal(store.outbox.length, 1);
    assert.equal(announced.length, 1);
    assert.equal(store.orders.get(order.id)!.status, OrderStatus.PLACED);
  });

  it('cancels once: cancelling again answers the cancelled order and adds no event', async () => {
    const { order } = await service.place(draft(), ctx);
    const cancelled = await service.cancel(order.id, 'out_of_stock', ctx);
    const again = await service.cancel(order.id, 'out_of_stock', ctx);
    assert.equal(cancelled.status, OrderStatus.CANCELLED);
    assert.equal(cancelled.cancellationReason, 'out_of_stock');
    assert.deepEqual(again, cancelled);
    assert.deepEqual(
      store.outbox.map((event) => event.type),
      ['ORDER_PLACED', 'ORDER_CANCELLED'],
    );
  });

  it('answers an unknown order with OrderNotFoundError on reads and writes', async () => {
    const id = '019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80';
    await assert.rejects(service.get(id, null), OrderNotFoundError);
    await assert.rejects(service.events(id, null), OrderNotFoundError);
    await assert.rejects(service.transition(id, OrderStatus.CONFIRMED, ctx), OrderNotFoundError);
  });

  it('pages with a cursor only when the page is full', async () => {
    await service.placeMany([draft(), draft(), draft()], ctx);
    const first = (await service.list({ limit: 2 }, null)).value;
    assert.equal(first.items.length, 2);
    assert.ok(first.nextCursor);
    const all = (await service.list({ limit: 5 }, null)).value;
    assert.equal(all.items.length, 3);
    assert.equal(all.nextCursor, null);
  });
});

describe('OrdersService: customers see and change their own orders only', () => {
  let store: InMemoryOrders;
  let service: OrdersService;

  beforeEach(() => {
    store = new InMemoryOrders();
    const passThroughCache = {
      order: async (_id: string, load: () => Promise<unknown>) => ({ value: await load(), hit: true }),
      page: async (_filter: object, load: () => Promise<unknown>) => ({ value: await load(), hit: true }),
    };
    service = new OrdersService(
      store.asRepository(),
      new InMemoryIdempotency() as never,
      { findByOrder: async () => [] } as never,
      passThroughCache as never,
      { recordPlaced: () => undefined, recordTransition: () => undefined } as never,
      loadConfig({}),
    );
  });

  it("answers another customer's order as not found, even from the cache, and changes nothing", async () => {
    const { order } = await service.place(draft('customer-2'), customer('customer-2'));
    await assert.rejects(service.get(order.id, 'customer-1'), OrderNotFoundError);
    await assert.rejects(service.events(order.id, 'customer-1'), OrderNotFoundError);
    await assert.rejects(service.cancel(order.id, undefined, customer()), OrderNotFoundError);
    await assert.rejects(service.revise(order.id, draft(), customer()), OrderNotFoundError);
    assert.equal(store.orders.get(order.id)!.status, OrderStatus.PLACED);
    assert.equal((await service.get(order.id, 'customer-2')).value.id, order.id);
  });

  it("lists a customer's own orders whatever filter it asks for", async () => {
    await service.place(draft('customer-1'), customer('customer-1'));
    await service.place(draft('customer-2'), customer('customer-2'));
    const page = (await service.list({ limit: 10, customerId: 'customer-2' }, 'customer-1')).value;
    assert.deepEqual(
      page.items.map((order) => order.customerId),
      ['customer-1'],
    );
  });

  it('keeps Idempotency-Keys apart per principal and records who acted', async () => {
    const first = await service.place(draft('customer-1'), customer('customer-1'), 'same-key');
    const other = await service.place(draft('customer-2'), customer('customer-2'), 'same-key');
    assert.notEqual(first.order.id, other.order.id);
    assert.equal(other.replayed, false);
    assert.deepEqual(
      store.outbox.map((event) => event.actor),
      [
        { subject: 'customer-1', role: 'customer' },
        { subject: 'customer-2', role: 'customer' },
      ],
    );
  });
});
