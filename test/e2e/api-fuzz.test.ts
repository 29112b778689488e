import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  MAX_RESPONSE_MS,
  contractFaults,
  describeExchange,
  describeRawExchange,
  responseFaults,
} from '../support/fuzz/checks';
import { FuzzClient, type FuzzResponse, sendRaw } from '../support/fuzz/client';
import { type OpenApiDocument, type Operation, operationsOf } from '../support/fuzz/openapi';
import { rawRequest } from '../support/fuzz/raw-requests';
import { type FuzzContext, type FuzzRequest, requestsFor } from '../support/fuzz/requests';
import { ordersBreakingTheRules, storedOrderIds } from '../support/fuzz/stored-orders';
import { orderDraft, request } from '../support/http';
import { ResponseContract } from '../support/openapi-contract';
import { apiDocument } from '../support/openapi-document';
import { AppProcess } from '../support/app-process';
import { freePort } from '../support/free-port';
import { TestDatabase } from '../support/test-database';

/**
 * Property-based fuzzing of every operation in the OpenAPI document: valid requests built from the
 * schemas, then broken in every way a client can break them. Whatever arrives, the answer is below
 * 500, a 4xx is problem+json, nothing takes a second, and nothing wrong is stored.
 * FUZZ_SEED and FUZZ_RUNS (requests to send) override the reproducible defaults.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
const REQUESTS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** Requests in flight at once: each property run sends one batch. */
const CONCURRENCY = 8;
const RAW_REQUESTS = 400;
/**
 * Once a property fails, fast-check shrinks it, re-sending batches against a server whose state has
 * moved on; this bounds the whole run, shrinking included (the failure found first is printed at once).
 */
const TIME_LIMIT_MS = Math.max(120_000, REQUESTS * 12);

let db: TestDatabase;
let api: AppProcess;
let baseUrl: string;
let port: number;
let client: FuzzClient;
let operations: Operation[];
let ctx: FuzzContext;
let contract: ResponseContract;
/** Orders the API said it created (201), seeded ones included. */
const reportedIds = new Set<string>();
/**
 * Ids valid requests aim at: the seeded orders and the last few the fuzzer placed, so that fresh
 * PLACED orders are revised and moved along too, not only the seeded ones that soon reach the end.
 */
const targetIds: string[] = [];
const RECENT_TARGETS = 16;
const stats = { raw: 0, slowest: { ms: 0, what: '' }, statuses: new Map<number, number>() };

before(async () => {
  db = await TestDatabase.create();
  // In its own process, as `npm start` runs it: the fuzzer's own work is not timed as the service's.
  port = await freePort();
  api = AppProcess.start({ DATABASE_URL: db.url, ROLES: 'api', PORT: String(port), LOG_LEVEL: 'warn' });
  await api.waitUntilLive(port);
  baseUrl = `http://127.0.0.1:${port}`;
  client = new FuzzClient(port, CONCURRENCY);

  // A few real orders in every status, so ids, ETags and cursors name something.
  const call = (method: string, path: string, body?: unknown) => request(baseUrl, method, path, { body });
  const ids: string[] = [];
  for (let i = 0; i < 8; i++) {
    const placed = await call('POST', '/api/orders', orderDraft({ customerId: `fuzz-customer-${i % 4}` }));
    assert.equal(placed.status, 201);
    ids.push(placed.body.id);
    reportedIds.add(placed.body.id);
    targetIds.push(placed.body.id);
  }
  for (const [index, steps] of [['confirm'], ['confirm', 'ship'], ['confirm', 'ship', 'deliver']].entries()) {
    for (const step of steps) assert.equal((await call('POST', `/api/orders/${ids[index]}/${step}`)).status, 200);
  }
  assert.equal((await call('DELETE', `/api/orders/${ids[3]}?reason=duplicate`)).status, 200);
  const cursors: string[] = [];
  for (const query of ['limit=1', 'limit=3', 'status=PLACED&limit=2', 'customerId=fuzz-customer-1&limit=1']) {
    const page = await call('GET', `/api/orders?${query}`);
    assert.equal(typeof page.body.nextCursor, 'string', query);
    cursors.push(page.body.nextCursor);
  }

  const doc = (await call('GET', '/docs/openapi.json')).body as OpenApiDocument;
  operations = operationsOf(doc);
  contract = new ResponseContract(await apiDocument());
  ctx = {
    orderIds: ids,
    cursors,
    known: {
      'format:uuid': fc.nat().map((n) => targetIds[n % targetIds.length]),
      cursor: fc.constantFrom(...cursors),
      customerId: fc.nat(5).map((n) => `fuzz-customer-${n}`),
      'If-Match': fc.constantFrom('"1"', '"2"', '"3"', '*'),
      'Idempotency-Key': fc.nat(40).map((n) => `fuzz-key-${n}`),
    },
  };
});

after(async () => {
  client?.close();
  await api?.stop();
  await db?.drop();
});

/** Bookkeeping for every exchange: counts, the slowest one, and the orders the API reported placing. */
function record(what: string, res: FuzzResponse): void {
  stats.statuses.set(res.status, (stats.statuses.get(res.status) ?? 0) + 1);
  // Quoted and escaped: a raw request line may hold control bytes, which would garble the report.
  if (res.ms > stats.slowest.ms) stats.slowest = { ms: res.ms, what: JSON.stringify(what.slice(0, 120)) };
}

function recordPlaced(req: FuzzRequest, res: FuzzResponse): void {
  if (req.method !== 'POST' || res.status !== 201) return;
  let body: { id?: string; orders?: { id: string }[] };
  try {
    body = JSON.parse(res.text) as typeof body;
  } catch {
    return; // not an order: the stored-orders check names whatever was stored without being reported
  }
  for (const order of body.orders ?? [body]) {
    if (!order.id || reportedIds.has(order.id)) continue;
    reportedIds.add(order.id);
    targetIds.push(order.id);
    if (targetIds.length > ctx.orderIds.length + RECENT_TARGETS) targetIds.splice(ctx.orderIds.length, 1);
  }
}

const timeLimit = () => fc.interruptAfterTimeLimit(TIME_LIMIT_MS, { failOnInterrupt: true });

let reported = false;
/** The first failure as it happens, before shrinking starts on it. */
function reportFirstFailure(failures: string[]): void {
  if (reported || failures.length === 0) return;
  reported = true;
  process.stderr.write(`\nFirst failure (seed ${SEED}; fast-check shrinks it next):\n${failures.join('\n\n')}\n`);
}

describe('fuzzing every operation of the OpenAPI document', () => {
  it('finds the order endpoints, health and metrics in the document', () => {
    const names = operations.map((op) => `${op.method} ${op.path}`);
    for (const expected of [
      'POST /api/orders',
      'POST /api/orders/bulk',
      'GET /api/orders',
      'GET /api/orders/{id}',
      'PUT /api/orders/{id}',
      'DELETE /api/orders/{id}',
      'GET /api/orders/{id}/events',
      'POST /api/orders/{id}/confirm',
      'POST /api/orders/{id}/ship',
      'POST /api/orders/{id}/deliver',
      'GET /health/live',
    ]) {
      assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    }
  });

  it(`answers ${REQUESTS} fuzzed requests below 500, 4xx as problem+json, each within ${MAX_RESPONSE_MS} ms`, async (t) => {
    const started = performance.now();
    const perOperation = new Map(operations.map((op) => [`${op.method} ${op.path}`, 0]));
    const anyRequest = fc.oneof(...operations.map((op) => requestsFor(op, ctx)));
    await fc.assert(
      fc.asyncProperty(fc.array(anyRequest, { minLength: CONCURRENCY, maxLength: CONCURRENCY }), async (batch) => {
        const responses = await Promise.all(batch.map((req) => client.send(req)));
        const failures: string[] = [];
        batch.forEach((req, i) => {
          perOperation.set(req.operation, (perOperation.get(req.operation) ?? 0) + 1);
          record(`${req.method} ${req.target}`, responses[i]);
          recordPlaced(req, responses[i]);
          const faults = [...responseFaults(responses[i]), ...contractFaults(contract, req, responses[i])];
          if (faults.length) failures.push(`${faults.join('; ')}\n${describeExchange(req, responses[i])}`);
        });
        reportFirstFailure(failures);
        assert.ok(failures.length === 0, `\n${failures.join('\n\n')}`);
      }),
      { seed: SEED, numRuns: Math.ceil(REQUESTS / CONCURRENCY), plugins: [timeLimit()] },
    );
    t.diagnostic(
      `seed ${SEED}: ${client.sent} requests in ${Math.round(performance.now() - started)} ms, each response ` +
        `checked against the OpenAPI document, slowest ` +
        `${Math.round(stats.slowest.ms)} ms (${stats.slowest.what}); statuses ${JSON.stringify(Object.fromEntries(stats.statuses))}`,
    );
    assert.ok(client.sent >= REQUESTS, `sent ${client.sent} of ${REQUESTS} requests`);
    assert.ok(stats.slowest.ms < MAX_RESPONSE_MS, `slowest answer took ${stats.slowest.ms} ms`);
    for (const [operation, count] of perOperation) {
      assert.ok(count >= REQUESTS / operations.length / 4, `only ${count} requests for ${operation}`);
    }
  });

  it('answers raw requests (broken request lines, oversized headers, header injection) the same way', async (t) => {
    stats.slowest = { ms: 0, what: '' }; // this test answers for its own requests only
    await fc.assert(
      fc.asyncProperty(fc.array(rawRequest(), { minLength: CONCURRENCY, maxLength: CONCURRENCY }), async (batch) => {
        const failures: string[] = [];
        const responses = await Promise.all(batch.map((raw) => sendRaw(port, raw)));
        batch.forEach((raw, i) => {
          stats.raw++;
          record(raw.split('\r\n')[0], responses[i]);
          const faults = responseFaults(responses[i]);
          if (faults.length) failures.push(`${faults.join('; ')}\n${describeRawExchange(raw, responses[i])}`);
        });
        reportFirstFailure(failures);
        assert.ok(failures.length === 0, `\n${failures.join('\n\n')}`);
      }),
      { seed: SEED, numRuns: RAW_REQUESTS / CONCURRENCY, plugins: [timeLimit()] },
    );
    t.diagnostic(
      `${stats.raw} raw requests (${client.sent + stats.raw} requests in all), the slowest ` +
        `${Math.round(stats.slowest.ms)} ms (${stats.slowest.what})`,
    );
    assert.ok(stats.slowest.ms < MAX_RESPONSE_MS, `slowest answer took ${stats.slowest.ms} ms`);
  });

  it('is still live afterwards, in the same process', async () => {
    assert.ok(api.running, `the service exited\n${api.output.slice(-2000)}`);
    const live = await request(baseUrl, 'GET', '/health/live');
    assert.equal(live.status, 200);
  });

  it('stored only orders that keep the API rules, and exactly those it reported placing', async () => {
    assert.deepEqual(await ordersBreakingTheRules(db), []);
    const stored = new Set(await storedOrderIds(db));
    assert.deepEqual(
      [...stored].filter((id) => !reportedIds.has(id)),
      [],
      'stored but never reported',
    );
    assert.deepEqual(
      [...reportedIds].filter((id) => !stored.has(id)),
      [],
      'reported but not stored',
    );
    assert.ok(stored.size > 50, `the fuzzer placed orders too (${stored.size} stored)`);
  });
});
