import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type JsonResponse, orderDraft, request } from '../support/http';
import { RedisServer } from '../support/redis-server';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

const LIMIT = 20;
const BULK_LIMIT = 2;
const ALLOWED_ORIGIN = 'https://shop.example';

let db: TestDatabase;
let redis: RedisServer;
// Two instances sharing PostgreSQL and Redis, behind a proxy on loopback (TRUST_PROXY), with a management port.
let a: TestApp;
let b: TestApp;
// One on its own Redis, with no proxy trusted, no CORS origins and no management port.
let plain: TestApp;

before(async () => {
  db = await TestDatabase.create();
  redis = await RedisServer.start();
  const shared = {
    DATABASE_URL: db.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    // Budgets of their own: no earlier run's counts.
    RATE_LIMIT_KEY_PREFIX: `orders-test:${randomUUID()}`,
    RATE_LIMIT_PER_MINUTE: String(LIMIT),
    RATE_LIMIT_BULK_PER_MINUTE: String(BULK_LIMIT),
    TRUST_PROXY: 'loopback',
    CORS_ORIGINS: `${ALLOWED_ORIGIN},http://localhost:3000`,
    MANAGEMENT_PORT: '0',
  };
  a = await startTestApp(shared);
  b = await startTestApp({ ...shared, DB_MIGRATIONS_RUN: 'false' });
  plain = await startTestApp({
    DATABASE_URL: db.url,
    DB_MIGRATIONS_RUN: 'false',
    REDIS_URL: redis.url,
    RATE_LIMIT_PER_MINUTE: '3',
  });
});

after(async () => {
  await a?.close();
  await b?.close();
  await plain?.close();
  await redis?.kill();
  await db?.drop();
});

/** A request from the client at `ip`, as the proxy in front names it. */
const from = (ip: string, app: TestApp, method: string, path: string, body?: unknown) =>
  request(app.baseUrl, method, path, { headers: { 'x-forwarded-for': ip }, body });
const listFrom = (ip: string, app: TestApp) => from(ip, app, 'GET', '/api/orders?limit=1');

function assertRateLimited(response: JsonResponse, budget: string, limit: number) {
  assert.equal(response.status, 429);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(response.body.type, 'urn:problem:orders:rate-limited');
  const retryAfter = Number(response.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  assert.equal(response.body.retryAfter, retryAfter);
  assert.equal(response.headers.get('ratelimit-policy'), `"${budget}";q=${limit};w=60`);
  assert.equal(response.headers.get('ratelimit'), `"${budget}";r=0;t=${retryAfter}`);
}

describe('rate limits', () => {
  it('give a client one budget across instances sharing Redis: the request past it is a 429 on either', async () => {
    const ip = '203.0.113.1';
    for (let i = 1; i <= LIMIT; i++) {
      const response = await listFrom(ip, i % 2 ? a : b);
      assert.equal(response.status, 200, `request ${i}`);
      assert.equal(response.headers.get('ratelimit-policy'), `"default";q=${LIMIT};w=60`);
      assert.match(response.headers.get('ratelimit') ?? '', new RegExp(`^"default";r=${LIMIT - i};t=\\d+$`));
    }
    assertRateLimited(await listFrom(ip, a), 'default', LIMIT);
    assertRateLimited(await listFrom(ip, b), 'default', LIMIT);
  });

  it('keep a smaller budget of its own for bulk placement, apart from the default one', async () => {
    const ip = '203.0.113.2';
    const bulk = () => from(ip, a, 'POST', '/api/orders/bulk', { orders: [orderDraft()] });
    for (let i = 1; i <= BULK_LIMIT; i++) {
      const response = await bulk();
      assert.equal(response.status, 201);
      assert.equal(response.headers.get('ratelimit-policy'), `"bulk";q=${BULK_LIMIT};w=60`);
    }
    assertRateLimited(await bulk(), 'bulk', BULK_LIMIT);
    const list = await listFrom(ip, b);
    assert.equal(list.status, 200);
    assert.match(list.headers.get('ratelimit') ?? '', new RegExp(`^"default";r=${LIMIT - 1};`));
  });

  it('count each unauthenticated client by its address', async () => {
    const ip = '203.0.113.3';
    for (let i = 0; i < LIMIT; i++) await listFrom(ip, a);
    assert.equal((await listFrom(ip, b)).status, 429);
    const other = await listFrom('203.0.113.4', b);
    assert.equal(other.status, 200);
    assert.match(other.headers.get('ratelimit') ?? '', new RegExp(`^"default";r=${LIMIT - 1};`));
    // Another /64 is another client; the same /64 is the same one.
    const v6 = '2001:db8:1:2::1';
    assert.match((await listFrom(v6, a)).headers.get('ratelimit') ?? '', new RegExp(`r=${LIMIT - 1};`));
    assert.match(
      (await listFrom('2001:db8:1:2::ffff', a)).headers.get('ratelimit') ?? '',
      new RegExp(`r=${LIMIT - 2};`),
    );
  });

  it('never limit health checks or metrics, even for a client past its budget', async () => {
    const ip = '203.0.113.5';
    for (let i = 0; i < LIMIT; i++) await listFrom(ip, a);
    assert.equal((await listFrom(ip, a)).status, 429);
    for (let i = 0; i < LIMIT + 5; i++) {
      for (const path of ['/health/live', '/health/ready', '/metrics']) {
        const response = await request(a.managementUrl, 'GET', path, { headers: { 'x-forwarded-for': ip } });
        assert.equal(response.status, 200, path);
        assert.equal(response.headers.get('ratelimit'), null);
      }
    }
  });

  it('count by the peer address when no proxy is trusted, and in memory when Redis is down', async () => {
    await redis.kill();
    for (let i = 1; i <= 3; i++) {
      // X-Forwarded-For is the client's own say here: ignored.
      const response = await from(`198.51.100.${i}`, plain, 'GET', '/api/orders?limit=1');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('ratelimit-policy'), '"default";q=3;w=60');
    }
    assertRateLimited(await from('198.51.100.9', plain, 'GET', '/api/orders?limit=1'), 'default', 3);
  });
});

describe('security headers', () => {
  it('are on every response, with a policy that lets an API response load nothing', async () => {
    for (const [app, path] of [
      [a, '/api/orders?limit=1'],
      [a, '/no/such/route'],
      [a, '/api/orders/%zz'], // refused by the router, before any hook runs
      [b, '/health/live'],
    ] as const) {
      const { headers } = await fetch(`${path.startsWith('/health') ? app.managementUrl : app.baseUrl}${path}`);
      assert.equal(headers.get('x-content-type-options'), 'nosniff', path);
      assert.match(headers.get('strict-transport-security') ?? '', /max-age=\d+/);
      assert.equal(headers.get('x-frame-options'), 'SAMEORIGIN');
      assert.equal(headers.get('referrer-policy'), 'no-referrer');
      assert.equal(headers.get('content-security-policy'), "default-src 'none';frame-ancestors 'none'");
      assert.equal(headers.get('x-powered-by'), null);
    }
  });
});

describe('CORS', () => {
  const preflight = (app: TestApp, origin: string) =>
    fetch(`${app.baseUrl}/api/orders`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('lets an allowed origin in, on requests and on preflights, and tells it what it may read', async () => {
    const response = await request(a.baseUrl, 'GET', '/api/orders?limit=1', { headers: { origin: ALLOWED_ORIGIN } });
    assert.equal(response.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /ETag.*RateLimit/);
    const answer = await preflight(a, ALLOWED_ORIGIN);
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
    assert.match(answer.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(answer.headers.get('access-control-allow-credentials'), null);
  });

  it('gives an origin not on the list, or any origin when there is no list, no CORS header', async () => {
    for (const [app, origin] of [
      [a, 'https://evil.example'],
      [a, 'https://shop.example.evil.example'],
      [plain, ALLOWED_ORIGIN],
    ] as const) {
      const response = await request(app.baseUrl, 'GET', '/api/orders?limit=1', { headers: { origin } });
      assert.equal(response.headers.get('access-control-allow-origin'), null, origin);
      assert.equal((await preflight(app, origin)).headers.get('access-control-allow-origin'), null, origin);
    }
  });
});

describe('Swagger UI at /docs', () => {
  it('runs under a Content-Security-Policy that allows no remote source, from local assets that load', async () => {
    const page = await fetch(`${a.baseUrl}/docs`);
    assert.equal(page.status, 200);
    const policy = page.headers.get('content-security-policy') ?? '';
    const sources = policy.split(';').flatMap((directive) => directive.trim().split(/\s+/).slice(1));
    assert.ok(sources.length > 0, policy);
    for (const source of sources) assert.ok(["'self'", "'none'", "'unsafe-inline'", 'data:'].includes(source), source);
    assert.match(policy, /script-src 'self'(;|$)/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1], page.url));
    assert.ok(
      assets.some((url) => url.pathname.endsWith('swagger-ui-bundle.js')),
      html,
    );
    for (const url of [...assets, new URL('/docs/openapi.json', page.url)]) {
      assert.equal(url.origin, new URL(a.baseUrl).origin, url.href);
      assert.equal((await fetch(url)).status, 200, url.href);
    }
    // No inline script: script-src 'self' runs everything the page has.
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/);
  });
});

describe('MANAGEMENT_PORT', () => {
  it('serves /health and /metrics there only, and nothing else there', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics']) {
      assert.equal((await request(a.managementUrl, 'GET', path)).status, 200, path);
      const elsewhere = await request(a.baseUrl, 'GET', path);
      assert.equal(elsewhere.status, 404, path);
      assert.equal(elsewhere.body.type, 'about:blank');
    }
    assert.equal((await fetch(`${a.baseUrl}/METRICS/`)).status, 404);
    for (const path of ['/api/orders', '/docs', '/docs/openapi.json']) {
      const response = await fetch(`${a.managementUrl}${path}`);
      assert.equal(response.status, 404, path);
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    }
  });

  it('leaves everything on the one port when unset', async () => {
    assert.equal(plain.managementUrl, plain.baseUrl);
    for (const path of ['/health/live', '/metrics'])
      assert.equal((await request(plain.baseUrl, 'GET', path)).status, 200);
  });
});
