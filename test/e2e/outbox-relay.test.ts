import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { orderDraft, request } from '../support/http';
import { eventually } from '../support/eventually';
import { assertPublishedEventsKeepContract } from '../support/event-contract';
import { ORDERS_WORKER_GROUP } from '@app/orders';
import { kafkaBrokers, TopicReader, withAdmin } from '../support/kafka';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';
import { AppProcess } from '../support/app-process';

let db: TestDatabase;
let api: TestApp;
let topic: TopicReader;
const workers: AppProcess[] = [];

const startWorker = () => {
  const worker = AppProcess.start({ DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers.join(',') });
  workers.push(worker);
  return worker;
};
const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0].n);

before(async () => {
  db = await TestDatabase.create();
  // The API alone: events wait in the outbox until a worker process relays them.
  api = await startTestApp({ DATABASE_URL: db.url, ROLES: 'api' });
  topic = await TopicReader.start('orders');
});

after(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await topic?.stop();
  await api?.close();
  await db?.drop();
});

describe('outbox relay', () => {
  it('commits every offset it consumed when stopped, so a restarted worker has nothing to replay', async () => {
    const worker = startWorker();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push((await request(api.baseUrl, 'POST', '/api/orders', { body: orderDraft() })).body.id);
    await eventually(
      async () =>
        (await db.query('SELECT 1 FROM order_timeline WHERE order_id = ANY($1::uuid[])', [ids])).length === ids.length,
      60_000,
      'the worker to apply the events',
    );
    // At once: without the commit on shutdown, up to a second of offsets would stay uncommitted.
    await worker.stop();

    const { ends, committed } = await withAdmin(async (admin) => ({
      ends: await admin.fetchTopicOffsets('orders'),
      committed: (await admin.fetchOffsets({ groupId: ORDERS_WORKER_GROUP, topics: ['orders'] }))[0].partitions,
    }));
    const byPartition = (offsets: { partition: number; offset: string }[]) =>
      Object.fromEntries(offsets.map(({ partition, offset }) => [partition, offset]));
    assert.deepEqual(byPartition(committed), byPartition(ends));
  });

  it('publishes a backlog bigger than the broker takes in one record batch', async () => {
    // 1,000 events of about 8 KB each: over 1 MiB per partition if sent in one request.
    const lines = Array.from({ length: 60 }, (_, i) => ({
      sku: `SKU-${i}`,
      name: `Line ${i} `.padEnd(80, 'x'),
      quantity: 1,
      unitPrice: 100,
    }));
    for (let batch = 0; batch < 10; batch++) {
      const orders = Array.from({ length: 100 }, () => orderDraft({ customerId: 'large', lines }));
      assert.equal((await request(api.baseUrl, 'POST', '/api/orders/bulk', { body: { orders } })).status, 201);
    }
    const worker = startWorker();
    await eventually(
      async () => (await count('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')) === 0,
      60_000,
      'the large backlog to be published',
    );
    await worker.stop();
    const eventIds = (
      await db.query<{ event_id: string }>(
        "SELECT event_id FROM outbox WHERE payload->'order'->>'customerId' = 'large'",
      )
    ).map((row) => row.event_id);
    assert.equal(eventIds.length, 1000);
    await topic.waitFor((records) => {
      const seen = new Set(records.map((r) => r.headers.ce_id));
      return eventIds.every((id) => seen.has(id));
    }, 60_000);
  });

  it('loses no event when the relay is killed mid-batch and another one takes over', async () => {
    for (let batch = 0; batch < 5; batch++) {
      const orders = Array.from({ length: 1000 }, () => orderDraft({ customerId: 'backlog' }));
      assert.equal((await request(api.baseUrl, 'POST', '/api/orders/bulk', { body: { orders } })).status, 201);
    }
    const total = await count('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL');
    assert.equal(total, 5000);
    const published = () => count('SELECT count(*) AS n FROM outbox WHERE published_at IS NOT NULL');
    const publishedBefore = await published();

    const first = startWorker();
    await eventually(async () => (await published()) > publishedBefore, 60_000, 'the first batch');
    await first.kill();
    const publishedBeforeKill = (await published()) - publishedBefore;
    assert.ok(
      publishedBeforeKill < total,
      `killed before the backlog was drained (${publishedBeforeKill} of ${total})`,
    );

    startWorker();
    await eventually(
      async () => (await count('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL')) === 0,
      60_000,
      'the backlog to drain',
    );
    const eventIds = (await db.query<{ event_id: string }>('SELECT event_id FROM outbox')).map((row) => row.event_id);
    await topic.waitFor((records) => {
      const seen = new Set(records.map((r) => r.headers.ce_id));
      return eventIds.every((id) => seen.has(id));
    }, 60_000);
  });

  it('keeps each order’s events in order with two relays running, even when one dies', async () => {
    startWorker();
    const second = startWorker();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push((await request(api.baseUrl, 'POST', '/api/orders', { body: orderDraft() })).body.id);
    for (const step of ['confirm', 'ship']) {
      await Promise.all(ids.map((id) => request(api.baseUrl, 'POST', `/api/orders/${id}/${step}`)));
    }
    await second.kill();
    await Promise.all(ids.map((id) => request(api.baseUrl, 'POST', `/api/orders/${id}/deliver`)));

    const expected = ['ORDER_PLACED', 'ORDER_CONFIRMED', 'ORDER_SHIPPED', 'ORDER_DELIVERED'];
    const eventsOf = (id: string) => topic.records.filter((r) => r.key === id);
    await topic.waitFor(() => ids.every((id) => eventsOf(id).length >= 4), 60_000);
    for (const id of ids) {
      // Duplicates are allowed (at-least-once); reordering is not.
      const types = eventsOf(id).map((r) => r.headers.ce_type);
      const firstSeen = types.filter((type, i) => types.indexOf(type) === i);
      assert.deepEqual(firstSeen, expected, `events of ${id}: ${types.join(', ')}`);
      assert.equal(new Set(eventsOf(id).map((r) => r.partition)).size, 1);
    }
  });
});

describe('the event contract', () => {
  it('holds for every event the relays published: headers and value match the schema named by ce_dataschema', async (t) => {
    const { checked, published } = await assertPublishedEventsKeepContract(db, topic);
    t.diagnostic(`${checked} records of ${published} published events validated against their schemas`);
  });
});
