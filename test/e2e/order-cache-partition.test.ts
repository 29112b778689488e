import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/eventually';
import { orderDraft, request } from '../support/http';
import { RedisServer } from '../support/redis-server';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

let db: TestDatabase;
let redis: RedisServer;
let redisForA: TcpProxy;
let a: TestApp;
let b: TestApp;

before(async () => {
  db = await TestDatabase.create();
  redis = await RedisServer.start();
  // Instance A reaches Redis through a proxy the test can cut: a partition between A and Redis only.
  redisForA = await TcpProxy.start({ host: '127.0.0.1', port: redis.port });
  // A short epoch lease keeps the thousand writes that miss Redis quick; the guarantee does not depend on it.
  const lease = { CACHE_EPOCH_LEASE_MS: '100' };
  a = await startTestApp({ DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${redisForA.port}`, ...lease });
  b = await startTestApp({ DATABASE_URL: db.url, REDIS_URL: redis.url, DB_MIGRATIONS_RUN: 'false', ...lease });
});

after(async () => {
  await a?.close();
  await b?.close();
  await redisForA?.stop();
  await redis?.kill();
  await db?.drop();
});

const customerId = 'partition-reader';
const read = async (app: TestApp, id: string) => {
  const [one, page] = await Promise.all([
    request(app.baseUrl, 'GET', `/api/orders/${id}`),
    request(app.baseUrl, 'GET', `/api/orders?customerId=${customerId}&limit=1`),
  ]);
  return {
    one: one.body.version as number,
    page: page.body.items[0]?.version as number,
    hit: one.headers.get('x-cache'),
  };
};

/** Writes through A, then reads through both instances (by id and as a list): how many reads were older. */
async function staleReads(orderId: string, pairs: number): Promise<number> {
  let stale = 0;
  for (let i = 0; i < pairs; i++) {
    await read(b, orderId); // B has the order cached, if it can
    const written = await request(a.baseUrl, 'PUT', `/api/orders/${orderId}`, {
      body: { lines: orderDraft().lines, shippingAddress: orderDraft().shippingAddress, notes: `write ${i}` },
    });
    assert.equal(written.status, 200, JSON.stringify(written.body));
    for (const app of [b, a]) {
      const seen = await read(app, orderId);
      if (seen.one < written.body.version) stale++;
      if (seen.page < written.body.version) stale++;
    }
  }
  return stale;
}

async function cachedOnB(orderId: string) {
  await eventually(async () => (await read(b, orderId)).hit === 'HIT', 15_000, 'B to cache again');
}

describe('read cache with two instances while Redis fails', () => {
  it('serves no read older than an acknowledged write: A cut off from Redis, Redis frozen, Redis killed', async () => {
    const { id } = (await request(a.baseUrl, 'POST', '/api/orders', { body: orderDraft({ customerId }) })).body;
    let stale = 0;

    await cachedOnB(id);
    await redisForA.cut();
    stale += await staleReads(id, 340);
    await redisForA.restore();

    await cachedOnB(id);
    redis.freeze();
    stale += await staleReads(id, 340);
    redis.thaw();
    stale += await staleReads(id, 5);

    await cachedOnB(id);
    await redis.kill();
    stale += await staleReads(id, 340);
    await redis.start();
    await cachedOnB(id);
    stale += await staleReads(id, 5);

    assert.equal(stale, 0);
  });
});
