import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OrdersRepository } from '@app/orders';
import { orderDraft, request } from '../support/http';
import { eventually } from '../support/eventually';
import { RedisServer } from '../support/redis-server';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

let db: TestDatabase;
let redis: RedisServer;
let a: TestApp;
let b: TestApp;

before(async () => {
  db = await TestDatabase.create();
  redis = await RedisServer.start();
  // Two API instances sharing one PostgreSQL and one Redis, as behind a load balancer.
  a = await startTestApp({ DATABASE_URL: db.url, REDIS_URL: redis.url });
  b = await startTestApp({ DATABASE_URL: db.url, REDIS_URL: redis.url, DB_MIGRATIONS_RUN: 'false' });
});

after(async () => {
  await a?.close();
  await b?.close();
  await redis?.kill();
  await db?.drop();
});

const get = (app: TestApp, path: string, headers?: Record<string, string>) =>
  request(app.baseUrl, 'GET', path, { headers });
const place = async (app: TestApp, overrides: Record<string, unknown> = {}) =>
  (await request(app.baseUrl, 'POST', '/api/orders', { body: orderDraft(overrides) })).body;

describe('read cache', () => {
  it('serves the second read of an order and of a list page from the cache', async () => {
    const order = await place(a, { customerId: 'cache-hit' });
    const first = await get(a, `/api/orders/${order.id}`);
    const second = await get(a, `/api/orders/${order.id}`);
    assert.equal(first.headers.get('x-cache'), 'MISS');
    assert.equal(second.headers.get('x-cache'), 'HIT');
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers.get('etag'), '"1"');

    const list = '/api/orders?customerId=cache-hit&limit=5';
    assert.equal((await get(a, list)).headers.get('x-cache'), 'MISS');
    const cachedList = await get(a, list);
    assert.equal(cachedList.headers.get('x-cache'), 'HIT');
    assert.deepEqual(
      cachedList.body.items.map((o: any) => o.id),
      [order.id],
    );
  });

  it('keys list pages by the validated query, and never looks up a malformed id', async () => {
    await place(a, { customerId: 'cache-key' });
    assert.equal((await get(a, '/api/orders?customerId=cache-key')).headers.get('x-cache'), 'MISS');
    // The same query as the server understands it: the default limit spelled out, parameters reordered.
    assert.equal((await get(a, '/api/orders?limit=20&customerId=cache-key')).headers.get('x-cache'), 'HIT');

    const orderLookups = async () => {
      const metrics = (await get(a, '/metrics')).body as string;
      const count = (name: string) => Number(new RegExp(`^${name}\\{kind="order"\\} (\\d+)`, 'm').exec(metrics)?.[1]);
      return count('cache_hits_total') + count('cache_misses_total');
    };
    const before = await orderLookups();
    assert.equal((await get(a, '/api/orders/not-a-uuid')).status, 404);
    assert.equal(await orderLookups(), before);
  });

  it('answers If-None-Match with 304 and no body', async () => {
    const order = await place(a);
    const res = await fetch(`${a.baseUrl}/api/orders/${order.id}`, { headers: { 'if-none-match': '"1"' } });
    assert.equal(res.status, 304);
    assert.equal(await res.text(), '');
    const changed = await fetch(`${a.baseUrl}/api/orders/${order.id}`, { headers: { 'if-none-match': '"0"' } });
    assert.equal(changed.status, 200);
  });

  it('makes every kind of write visible to the next read, on the same and on another instance', async () => {
    const customerId = `fresh-${Date.now()}`;
    const order = await place(a, { customerId });
    const list = `/api/orders?customerId=${customerId}`;
    const warm = async () => {
      for (const app of [a, b]) {
        await get(app, `/api/orders/${order.id}`);
        await get(app, list);
      }
    };
    const expectEverywhere = async (check: (byId: any, page: any) => void) => {
      for (const app of [a, b]) check((await get(app, `/api/orders/${order.id}`)).body, (await get(app, list)).body);
    };

    await warm();
    const lines = [{ sku: 'NEW', name: 'New', quantity: 1, unitPrice: 700 }];
    await request(a.baseUrl, 'PUT', `/api/orders/${order.id}`, {
      body: { lines, shippingAddress: order.shippingAddress },
    });
    await expectEverywhere((o, page) => {
      assert.equal(o.totalAmount, 700);
      assert.equal(page.items[0].totalAmount, 700);
    });

    await warm();
    await request(b.baseUrl, 'POST', `/api/orders/${order.id}/confirm`);
    await expectEverywhere((o, page) => {
      assert.equal(o.status, 'CONFIRMED');
      assert.equal(page.items[0].status, 'CONFIRMED');
    });

    await warm();
    await request(a.baseUrl, 'DELETE', `/api/orders/${order.id}?reason=duplicate`);
    await expectEverywhere((o, page) => {
      assert.equal(o.status, 'CANCELLED');
      assert.equal(page.items[0].status, 'CANCELLED');
    });

    await warm();
    const created = await place(b, { customerId });
    await expectEverywhere((_o, page) => assert.equal(page.items[0].id, created.id));

    await warm();
    await request(a.baseUrl, 'POST', '/api/orders/bulk', {
      body: { orders: [orderDraft({ customerId }), orderDraft({ customerId })] },
    });
    await expectEverywhere((_o, page) => assert.equal(page.items.length, 4));
  });

  it('reads the database once for many concurrent misses on one order', async () => {
    const order = await place(a);
    const repository = a.app.get(OrdersRepository);
    const realFindById = repository.findById.bind(repository);
    let reads = 0;
    repository.findById = async (...args) => {
      reads++;
      await new Promise((r) => setTimeout(r, 50)); // keep the first read in flight while the others arrive
      return realFindById(...args);
    };
    try {
      const responses = await Promise.all(Array.from({ length: 20 }, () => get(a, `/api/orders/${order.id}`)));
      assert.ok(responses.every((res) => res.status === 200 && res.body.id === order.id));
      assert.equal(reads, 1);
    } finally {
      repository.findById = realFindById;
    }
  });
});

describe('Redis outage', () => {
  it('keeps serving reads and writes from PostgreSQL while Redis is down, then caches again', async () => {
    const order = await place(a);
    await get(a, `/api/orders/${order.id}`);
    assert.equal((await get(a, `/api/orders/${order.id}`)).headers.get('x-cache'), 'HIT');

    await redis.kill();
    const during = await get(a, `/api/orders/${order.id}`);
    assert.equal(during.status, 200);
    assert.equal(during.headers.get('x-cache'), 'MISS');
    const confirmed = await request(a.baseUrl, 'POST', `/api/orders/${order.id}/confirm`);
    assert.equal(confirmed.status, 200);
    assert.equal((await place(a)).status, 'PLACED');
    assert.equal((await get(b, `/api/orders/${order.id}`)).body.status, 'CONFIRMED');
    const ready = await get(a, '/health/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.details.cache.degraded, true);
    assert.equal(ready.body.details.database.status, 'up');

    await redis.start();
    await eventually(
      async () => (await get(a, `/api/orders/${order.id}`)).headers.get('x-cache') === 'HIT',
      15_000,
      'caching to resume',
    );
    assert.equal((await get(a, `/api/orders/${order.id}`)).body.status, 'CONFIRMED');
    assert.equal((await get(a, '/health/ready')).body.details.cache.degraded, undefined);
  });

  it('never answers a read that follows an acknowledged write with older data while Redis is down', async () => {
    const order = await place(a);
    // A slow database keeps each read's load in flight long enough for later reads to meet it.
    const repository = a.app.get(OrdersRepository);
    const realFindById = repository.findById.bind(repository);
    repository.findById = async (...args) => {
      const found = await realFindById(...args);
      await new Promise((r) => setTimeout(r, 20));
      return found;
    };
    await redis.kill();
    try {
      let writing = true;
      const readers = Array.from({ length: 4 }, async () => {
        while (writing) await get(a, `/api/orders/${order.id}`);
      });
      let stale = 0;
      for (let i = 1; i <= 150; i++) {
        const revised = await request(a.baseUrl, 'PUT', `/api/orders/${order.id}`, {
          body: { lines: orderDraft().lines, shippingAddress: orderDraft().shippingAddress, notes: `revision ${i}` },
        });
        assert.equal(revised.status, 200);
        const read = await get(a, `/api/orders/${order.id}`);
        if (read.body.version < revised.body.version) stale++;
      }
      writing = false;
      await Promise.all(readers);
      assert.equal(stale, 0);
    } finally {
      repository.findById = realFindById;
      await redis.start();
      await eventually(
        async () => (await get(a, `/api/orders/${order.id}`)).headers.get('x-cache') === 'HIT',
        15_000,
        'caching to resume',
      );
    }
  });

  it('never serves what was cached before a partition once writes happened during it', async () => {
    const order = await place(a);
    await get(a, `/api/orders/${order.id}`);
    assert.equal((await get(a, `/api/orders/${order.id}`)).headers.get('x-cache'), 'HIT');

    redis.freeze(); // unreachable, but keeps the old entry
    try {
      assert.equal((await request(a.baseUrl, 'POST', `/api/orders/${order.id}/confirm`)).status, 200);
      assert.equal((await get(a, `/api/orders/${order.id}`)).body.status, 'CONFIRMED');
    } finally {
      redis.thaw();
    }
    await new Promise((r) => setTimeout(r, 1_200)); // past the pause after the failure
    for (let i = 0; i < 3; i++) assert.equal((await get(a, `/api/orders/${order.id}`)).body.status, 'CONFIRMED');
  });
});
