import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { eventually } from '../support/eventually';
import { orderDraft, request } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

let db: TestDatabase;
let proxy: TcpProxy;
let api: TestApp;
const call = (method: string, path: string, body?: unknown) => request(api.baseUrl, method, path, { body });

function assertUnavailable(res: { status: number; headers: Headers; body: any }) {
  assert.equal(res.status, 503, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.headers.get('retry-after'), '2');
  assert.equal(res.body.type, 'urn:problem:orders:database-unavailable');
}

before(async () => {
  db = await TestDatabase.create();
  const url = new URL(db.url);
  proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
  url.port = String(proxy.port);
  // No read cache: every read needs the database.
  api = await startTestApp({ DATABASE_URL: url.toString(), CACHE_TTL_SECONDS: '0', DB_POOL_SIZE: '2' });
});

after(async () => {
  await api?.close();
  await proxy?.stop();
  await db?.drop();
});

describe('database outage and saturation', () => {
  it('answers 503 with Retry-After while PostgreSQL is unreachable, and recovers by itself', async () => {
    const placed = await call('POST', '/api/orders', orderDraft());
    assert.equal(placed.status, 201);

    await proxy.cut();
    assertUnavailable(await call('POST', '/api/orders', orderDraft()));
    assertUnavailable(await call('GET', `/api/orders/${placed.body.id}`));
    assertUnavailable(await call('POST', `/api/orders/${placed.body.id}/confirm`));
    assertUnavailable(await call('GET', '/api/orders'));
    assert.equal((await call('GET', '/health/ready')).status, 503);

    await proxy.restore();
    await eventually(async () => (await call('POST', '/api/orders', orderDraft())).status === 201, 20_000, 'writes');
    assert.equal((await call('GET', `/api/orders/${placed.body.id}`)).status, 200);
    assert.equal((await call('GET', '/health/ready')).status, 200);
  });

  it('answers 503, never 500, when every connection is busy for longer than a request may wait', async () => {
    // Another session holds the orders table, so the pool's two connections wait on it and every
    // other request waits for a connection until the pool gives up.
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query('BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    try {
      const burst = Promise.all(Array.from({ length: 20 }, () => call('POST', '/api/orders', orderDraft())));
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      await blocker.query('ROLLBACK');
      const statuses = (await burst).map((res) => res.status);
      assert.deepEqual(
        statuses.filter((status) => status !== 201 && status !== 503),
        [],
      );
      assert.ok(statuses.includes(503), statuses.join(','));
      for (const res of await burst) if (res.status === 503) assertUnavailable(res);
    } finally {
      await blocker.end();
    }
  });
});
