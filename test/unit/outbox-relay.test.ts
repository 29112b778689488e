import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Counter, Histogram } from 'prom-client';
import { OutboxRelay, OutboxSignal, OutboxStore, type OutboxRecord } from '@app/messaging';
import { eventually } from '../support/eventually';

/** An outbox in memory: pending rows in insert order until marked published. */
class InMemoryOutbox extends OutboxStore {
  readonly rows: (OutboxRecord & { published: boolean })[] = [];

  add(key: string, type: string): void {
    const id = String(this.rows.length + 1);
    this.rows.push({
      id,
      eventId: `event-${id}`,
      key,
      type,
      payload: {},
      correlationId: null,
      createdAt: new Date(),
      published: false,
    });
  }
  async fetchPending(limit: number): Promise<OutboxRecord[]> {
    return this.rows.filter((row) => !row.published).slice(0, limit);
  }
  async markPublished(records: readonly OutboxRecord[]): Promise<void> {
    for (const record of records) this.rows.find((row) => row.id === record.id)!.published = true;
  }
  async pendingStats() {
    return { pending: this.rows.filter((row) => !row.published).length, oldestAgeSeconds: 0 };
  }
  async deletePublishedBefore(): Promise<number> {
    return 0;
  }
}

/** A broker that can be down: what it acknowledged, in order. */
class FakeBroker {
  readonly received: string[] = [];
  down = false;
  async publish(records: readonly OutboxRecord[]): Promise<void> {
    if (this.down) throw new Error('broker unavailable');
    this.received.push(...records.map((record) => record.eventId));
  }
}

const metric = () => ({
  duration: new Histogram({ name: 'test_publish_duration', help: 'h', registers: [] }),
  published: new Counter({ name: 'test_published', help: 'h', registers: [] }),
  errors: new Counter({ name: 'test_errors', help: 'h', registers: [] }),
});

describe('OutboxRelay (logic, store and broker faked)', () => {
  let relay: OutboxRelay | null = null;
  afterEach(async () => relay?.onModuleDestroy());

  function startRelay(outbox: InMemoryOutbox, broker: FakeBroker, signal: OutboxSignal, leader = () => true) {
    const { duration, published, errors } = metric();
    relay = new OutboxRelay(
      outbox,
      broker,
      signal,
      { acquire: async () => leader() } as never,
      duration,
      published,
      errors,
    );
    relay.onApplicationBootstrap();
    return relay;
  }

  it('publishes committed events in outbox order as soon as it is woken, and marks them published', async () => {
    const outbox = new InMemoryOutbox();
    const broker = new FakeBroker();
    const signal = new OutboxSignal();
    startRelay(outbox, broker, signal);
    for (const type of ['ORDER_PLACED', 'ORDER_CONFIRMED', 'ORDER_SHIPPED']) outbox.add('order-1', type);
    signal.notify();
    await eventually(() => broker.received.length === 3, 2_000, 'three published events');
    assert.deepEqual(broker.received, ['event-1', 'event-2', 'event-3']);
    assert.ok(outbox.rows.every((row) => row.published));
  });

  it('keeps events in the outbox while the broker is down and publishes each once it is back', async () => {
    const outbox = new InMemoryOutbox();
    const broker = new FakeBroker();
    const signal = new OutboxSignal();
    broker.down = true;
    startRelay(outbox, broker, signal);
    outbox.add('order-1', 'ORDER_PLACED');
    outbox.add('order-2', 'ORDER_PLACED');
    signal.notify();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(broker.received.length, 0);
    assert.ok(outbox.rows.every((row) => !row.published));
    broker.down = false;
    await eventually(() => outbox.rows.every((row) => row.published), 5_000, 'the outbox to drain');
    assert.deepEqual(broker.received, ['event-1', 'event-2']);
  });

  it('publishes nothing while another instance leads', async () => {
    const outbox = new InMemoryOutbox();
    const broker = new FakeBroker();
    const signal = new OutboxSignal();
    let leading = false;
    startRelay(outbox, broker, signal, () => leading);
    outbox.add('order-1', 'ORDER_PLACED');
    signal.notify();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(broker.received.length, 0);
    leading = true;
    await eventually(() => broker.received.length === 1, 5_000, 'the new leader to publish');
  });
});
