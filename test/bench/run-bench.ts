// `npm run bench`: the performance table, measured against real PostgreSQL, Redis and Kafka.
// Every scenario runs with the Redis cache and without any cache, in the same run, on this machine.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { orderDraft } from '../support/http';
import { AppProcess } from '../support/app-process';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { RedisServer } from '../support/redis-server';
import { TestDatabase } from '../support/test-database';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { dataSourceOptions } from '@app/database';
import { Counter } from 'prom-client';
import { loadConfig } from '@app/config';
import { Metric } from '@app/observability';
import {
  OrderChangeFeed,
  OrderDraft,
  OrderEventContract,
  orderMigrations,
  OrdersRepository,
  orderSnapshot,
  placeOrder,
} from '@app/orders';
import { load, LoadResult, poster, sequential, steady } from './load';
import { seedOrders, seedOutboxBacklog } from './seed';
import { floodWithPoison, lostEvents } from './poison-flood';
import { authCostScenario } from './auth-bench';
import { scaleScenarios } from './scale-bench';
import { ensureBuilt, startupBench } from './startup-bench';
import { soak } from './soak-bench';

const root = resolve(__dirname, '../../..');
const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
// Orders written straight through the repository, as an administrator would place them.
const BENCH_ORIGIN = { correlationId: null, actor: { subject: 'bench', role: 'admin' } };
/**
 * `npm run bench -- events backlog` runs only those groups; no argument runs all of them but `startup`
 * (`npm run bench -- startup`), which measures processes starting and needs no data set, and `soak`
 * (`npm run bench -- soak`), which runs for BENCH_SOAK_MINUTES (10) with the API_WORKERS given in
 * BENCH_API_WORKERS (1).
 */
const GROUPS = ['reads', 'auth', 'bulk', 'events', 'backlog', 'poison', 'scale', 'startup', 'soak'] as const;
const ALONE: readonly string[] = ['startup', 'soak'];
const chosen = process.argv.slice(2);
const unknown = chosen.filter((group) => !(GROUPS as readonly string[]).includes(group));
if (unknown.length) throw new Error(`unknown bench group(s) ${unknown.join(', ')}; choose from ${GROUPS.join(', ')}`);
const runs = (group: (typeof GROUPS)[number]) =>
  (chosen.length === 0 && !ALONE.includes(group)) || chosen.includes(group);
const kafkaEnv = {
  KAFKA_PORT: '29092',
  KAFKA_CONTROLLER_PORT: '29093',
  KAFKA_HOME_DIR: join(root, '.kafka', 'bench'),
  KAFKA_LIB_DIR: join(root, '.kafka', 'lib'),
};
const kafkaBrokers = `127.0.0.1:${kafkaEnv.KAFKA_PORT}`;
const launcher = (command: string) =>
  spawnSync('bash', [join(root, 'deploy/kafka/kafka.sh'), command], {
    stdio: 'inherit',
    env: { ...process.env, ...kafkaEnv },
  });

type Mode = 'redis' | 'none';
interface Row {
  scenario: string;
  mode: Mode | '-';
  p50: number;
  p99: number;
  rate: number;
  unit: string;
  note?: string;
}
const rows: Row[] = [];
const record = (scenario: string, mode: Mode | '-', r: LoadResult, note?: string) =>
  rows.push({
    scenario,
    mode,
    p50: r.p50,
    p99: r.p99,
    rate: r.rps,
    unit: 'req/s',
    note: note ?? (r.errors ? `${r.errors} errors` : undefined),
  });

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function startApi(db: TestDatabase, mode: Mode, redis: RedisServer, extra: Record<string, string> = {}) {
  const port = await freePort();
  const cache: Record<string, string> = mode === 'redis' ? { REDIS_URL: redis.url } : { CACHE_TTL_SECONDS: '0' };
  // Without rate limits (AppProcess's default): the load generator is one caller sending thousands a minute.
  const api = AppProcess.start({
    ROLES: 'api',
    PORT: String(port),
    DATABASE_URL: db.url,
    LOG_LEVEL: 'warn',
    DB_POOL_SIZE: '10',
    ...cache,
    ...extra,
  });
  await api.waitUntilLive(port);
  return { api, url: `http://127.0.0.1:${port}` };
}

async function startWorker(db: TestDatabase) {
  const port = await freePort();
  const worker = AppProcess.start({
    ROLES: 'worker',
    PORT: String(port),
    DATABASE_URL: db.url,
    KAFKA_BROKERS: kafkaBrokers,
    LOG_LEVEL: 'warn',
  });
  await worker.waitUntilLive(port);
  return worker;
}

async function readScenarios(db: TestDatabase, redis: RedisServer, mode: Mode, ids: string[]) {
  const { api, url } = await startApi(db, mode, redis);
  try {
    record('GET /health/live (baseline)', mode, await load({ url: `${url}/health/live`, seconds: SECONDS }));
    // A working set of 1,000 orders, read at random: after the warm-up every read can be a hit.
    const workingSet = ids.slice(0, 1000);
    const byId = () => `/api/orders/${workingSet[Math.floor(Math.random() * workingSet.length)]}`;
    await load({ url, seconds: 2, paths: byId });
    record('GET /api/orders/:id', mode, await load({ url, seconds: SECONDS, paths: byId }));
    record('GET /api/orders/:id, one client', mode, await sequential({ baseUrl: url, paths: byId, requests: 2_000 }));
    await load({ url: `${url}/api/orders?limit=20`, seconds: 1 });
    record('GET /api/orders?limit=20', mode, await load({ url: `${url}/api/orders?limit=20`, seconds: SECONDS }));
    record(
      'GET /api/orders?limit=20, one client',
      mode,
      await sequential({ baseUrl: url, paths: () => '/api/orders?limit=20', requests: 1_000 }),
    );
  } finally {
    await api.stop();
  }
}

/** Orders through the API (POST /api/orders), so the HTTP service shares the cores with the pipeline. */
async function apiEventScenario(db: TestDatabase, redis: RedisServer, mode: Mode, rate: number) {
  const { api, url } = await startApi(db, mode, redis);
  const worker = await startWorker(db);
  const client = poster(`${url}/api/orders`, JSON.stringify(orderDraft({ customerId: 'steady' })));
  try {
    await measureEvents(db, mode, `${rate} orders/s offered to the API`, rate, client.send);
  } finally {
    client.close();
    await worker.stop();
    await api.stop();
  }
}

/** The outbox's schema check, outside Nest, as the service runs it. */
const eventContract = () =>
  new OrderEventContract(
    loadConfig({}),
    new Counter({ name: Metric.eventContractViolations, help: 'unused', labelNames: ['type'], registers: [] }),
  );

/** Lines per order in the bulk scenario: 1,000 such orders make a body of about 1.5 MB. */
const BULK_LINES = 20;

/** Ten bulks of 1,000 orders, with a liveness probe all along: the event loop must stay free meanwhile. */
async function bulkScenario(db: TestDatabase, redis: RedisServer) {
  const mode = 'redis';
  const { api, url } = await startApi(db, mode, redis);
  try {
    const lines = Array.from({ length: BULK_LINES }, (_, i) => ({
      sku: `SKU-${i}`,
      name: `Widget ${i}`,
      quantity: 1 + i,
      unitPrice: 100 + i,
    }));
    const body = JSON.stringify({
      orders: Array.from({ length: 1000 }, (_, i) => orderDraft({ customerId: `bulk-${i % 50}`, lines })),
    });
    const times: number[] = [];
    // A probe all along: the event loop must stay free for other requests while bulks are handled.
    const liveMs: number[] = [];
    let bulking = true;
    const probe = (async () => {
      while (bulking) {
        const t = performance.now();
        await fetch(`${url}/health/live`);
        liveMs.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const started = Date.now();
    for (let batch = 0; batch < 10; batch++) {
      const t = Date.now();
      const res = await fetch(`${url}/api/orders/bulk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (res.status !== 201) throw new Error(`bulk answered ${res.status}: ${await res.text()}`);
      times.push(Date.now() - t);
    }
    const total = (Date.now() - started) / 1000;
    bulking = false;
    await probe;
    rows.push({
      scenario: `GET /health/live while bulks of ${BULK_LINES}-line orders run, one client`,
      mode,
      p50: percentile(liveMs, 50),
      p99: percentile(liveMs, 99),
      rate: liveMs.length / total,
      unit: 'req/s',
      note: `max ${Math.max(...liveMs).toFixed(1)} ms`,
    });
    rows.push({
      scenario: `POST /api/orders/bulk: 10 x 1,000 orders of ${BULK_LINES} lines`,
      mode,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      rate: 10_000 / total,
      unit: 'orders/s',
      note: `10,000 orders in ${total.toFixed(2)} s`,
    });
  } finally {
    await api.stop();
  }
}

/**
 * A worker, and orders committed by the service's own placement statement (OrdersRepository.place:
 * order, lines, outbox row and NOTIFY) with no HTTP in front: the event pipeline alone.
 */
async function withPipeline(
  db: TestDatabase,
  customerId: string,
  run: (place: () => Promise<boolean>) => Promise<void>,
) {
  const worker = await startWorker(db);
  const dataSource = await new DataSource(dataSourceOptions(db.url, 10, orderMigrations)).initialize();
  const orders = new OrdersRepository(dataSource, new OrderChangeFeed(), eventContract());
  const draft = orderDraft({ customerId }) as OrderDraft;
  try {
    await run(async () => {
      await orders.place([placeOrder(uuidv7(), draft, new Date())], BENCH_ORIGIN);
      return true;
    });
  } finally {
    await dataSource.destroy();
    await worker.stop();
  }
}

async function pipelineEventScenario(db: TestDatabase, rate: number) {
  await withPipeline(db, 'pipeline', (place) =>
    measureEvents(db, '-', `${rate} orders/s committed without HTTP`, rate, place),
  );
}

/**
 * 1,000 poison records mixed into 10,000 valid events (500 orders/s for 20 s, committed by the
 * placement statement): how soon every poison record is dead-lettered, and whether valid events keep
 * their latency, all arrive and stay in order.
 */
async function poisonFloodScenario(db: TestDatabase) {
  await withPipeline(db, 'flood', async (place) => {
    await db.query('UPDATE outbox SET published_at = now() WHERE published_at IS NULL');
    await steady({ send: place, rate: 500, seconds: 3 }); // warm-up
    const since = (await db.query<{ now: Date }>('SELECT now()'))[0].now;
    const [valid, poison] = await Promise.all([
      steady({ send: place, rate: 500, seconds: 20 }),
      floodWithPoison({ kafkaBrokers, count: 1_000, seconds: 20 }),
    ]);
    const published = Number(
      (await db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE created_at >= $1', [since]))[0].n,
    );
    await eventually(async () => (await lostEvents(db, since)) === 0, 60_000, 'every valid event').catch(
      () => undefined,
    );
    const consumeMs = (
      await db.query<{ ms: number }>(
        'SELECT extract(epoch FROM recorded_at - occurred_at) * 1000 AS ms FROM order_timeline WHERE occurred_at >= $1',
        [since],
      )
    ).map((row) => Number(row.ms));
    rows.push({
      scenario: 'commit -> consumer applied, valid events during a poison flood',
      mode: '-',
      p50: percentile(consumeMs, 50),
      p99: percentile(consumeMs, 99),
      rate: valid.rate,
      unit: 'orders/s achieved',
      note: `${published} valid events, ${await lostEvents(db, since)} lost`,
    });
    rows.push({
      scenario: 'poison records on orders.DLT (50/s for 20 s, mixed with the above)',
      mode: '-',
      p50: NaN,
      p99: NaN,
      rate: poison.produced / 20,
      unit: 'records/s produced',
      note: `${poison.deadLettered} of ${poison.produced} dead-lettered, the last ${poison.secondsAfterLast.toFixed(2)} s after the last was produced`,
    });
  });
}

/** Places orders with `send` at a steady `rate` and records commit -> Kafka ack and commit -> consumer. */
async function measureEvents(
  db: TestDatabase,
  mode: Mode | '-',
  label: string,
  rate: number,
  send: () => Promise<boolean>,
) {
  // Earlier scenarios' events are not part of this measurement.
  await db.query('UPDATE outbox SET published_at = now() WHERE published_at IS NULL');
  const now = async () => (await db.query<{ now: Date }>('SELECT now()'))[0].now;
  const timelineSince = (since: Date) =>
    db.query<{ ms: number }>(
      'SELECT extract(epoch FROM recorded_at - occurred_at) * 1000 AS ms FROM order_timeline WHERE occurred_at >= $1',
      [since],
    );
  const allConsumed = async (since: Date, what: string) => {
    const count = async (sql: string) => Number((await db.query<{ n: string }>(sql, [since]))[0].n);
    await eventually(
      async () =>
        (await count('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL AND created_at >= $1')) === 0,
      60_000,
      `the relay (${what})`,
    );
    const published = await count('SELECT count(*) AS n FROM outbox WHERE created_at >= $1');
    await eventually(async () => (await timelineSince(since)).length >= published, 120_000, `the consumer (${what})`);
  };
  // Nor is a cold start: the consumer joining its group, the JIT of the broker and of the service.
  const warmUp = await now();
  await steady({ send, rate, seconds: 3 });
  await allConsumed(warmUp, 'warm-up');

  const since = await now();
  const r = await steady({ send, rate, seconds: 10 });
  await allConsumed(since, 'measurement');
  const publishMs = (
    await db.query<{ ms: number }>(
      'SELECT extract(epoch FROM published_at - created_at) * 1000 AS ms FROM outbox WHERE created_at >= $1',
      [since],
    )
  ).map((row) => Number(row.ms));
  const consumeMs = (await timelineSince(since)).map((row) => Number(row.ms));
  for (const [what, values, note] of [
    [
      'event publish: commit -> Kafka ack',
      publishMs,
      `${publishMs.length} events${r.errors ? `, ${r.errors} failed` : ''}`,
    ],
    ['commit -> consumer applied', consumeMs, `${consumeMs.length} events`],
  ] as const) {
    rows.push({
      scenario: `${what} (${label})`,
      mode,
      p50: percentile(values, 50),
      p99: percentile(values, 99),
      rate: r.rate,
      unit: 'orders/s achieved',
      note,
    });
  }
}

async function backlogScenario(db: TestDatabase) {
  await db.query('UPDATE outbox SET published_at = now() WHERE published_at IS NULL');
  const { order } = placeOrder(uuidv7(), orderDraft() as OrderDraft, new Date());
  await seedOutboxBacklog(db, ORDERS, { orderId: order.id, previousStatus: null, order: orderSnapshot(order) });
  const [{ since }] = await db.query<{ since: Date }>('SELECT now() AS since');
  const worker = await startWorker(db);
  try {
    await eventually(
      async () =>
        (await db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL'))[0].n === '0',
      600_000,
      'the backlog to drain',
    );
    const [span] = await db.query<{ n: string; seconds: number }>(
      'SELECT count(*) AS n, extract(epoch FROM max(published_at) - min(published_at)) AS seconds FROM outbox WHERE published_at >= $1',
      [since],
    );
    // What a reader of the timeline waits for: the consumer, on the same cores, applies what the relay publishes.
    const applied = () =>
      db.query<{ n: string; seconds: number }>(
        `SELECT count(*) AS n, extract(epoch FROM max(t.recorded_at) - min(o.published_at)) AS seconds
         FROM outbox o JOIN order_timeline t USING (event_id) WHERE o.published_at >= $1`,
        [since],
      );
    await eventually(async () => (await applied())[0].n === span.n, 600_000, 'the backlog to reach the timeline');
    const [timeline] = await applied();
    for (const [scenario, { n, seconds }] of [
      ['relay backlog drain', span],
      ['relay backlog applied to the timeline', timeline],
    ] as const)
      rows.push({
        scenario: `${scenario} (${ORDERS.toLocaleString('en')} outbox rows)`,
        mode: '-',
        p50: NaN,
        p99: NaN,
        rate: Number(n) / Number(seconds),
        unit: 'events/s',
        note: `${Number(n).toLocaleString('en')} events in ${Number(seconds).toFixed(2)} s`,
      });
  } finally {
    await worker.stop();
  }
}

/** The whole service (API and worker roles) with Kafka, as the comparison with the legacy app runs it. */
async function soakScenario(db: TestDatabase, redis: RedisServer) {
  const { api, url } = await startApi(db, 'redis', redis, {
    ROLES: 'api,worker',
    KAFKA_BROKERS: kafkaBrokers,
    API_WORKERS: process.env.BENCH_API_WORKERS ?? '1',
    LOG_LEVEL: 'info',
  });
  try {
    const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
    console.log(`\nSoak: ${minutes} minutes, API_WORKERS=${process.env.BENCH_API_WORKERS ?? '1'}`);
    await soak({ app: api, url, minutes });
  } finally {
    await api.stop();
  }
}

/** The side-by-side figures against the legacy app are measured apart (compare.mjs): kept as they are. */
function legacySection(file: string): string {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = text.indexOf(LEGACY_HEADING);
  return start === -1 ? '' : `\n${text.slice(start)}`;
}
const LEGACY_HEADING = '## Against the legacy app';

function table(): string {
  const fmt = (n: number) => (Number.isNaN(n) ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(2));
  const lines = [
    '| scenario | cache | p50 ms | p99 ms | rate | notes |',
    '|---|---|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.mode} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.rate)} ${r.unit} | ${r.note ?? ''} |`,
    ),
  ];
  return lines.join('\n');
}

async function main() {
  // A fresh cluster: the worker's consumer group must not start behind an earlier run's events.
  launcher('stop');
  launcher('reset');
  if (launcher('start').status !== 0) throw new Error('could not start the Kafka broker');
  if (runs('startup')) {
    ensureBuilt();
    try {
      console.log(`\n${await startupBench(kafkaBrokers)}\n`);
    } finally {
      if (chosen.length === 1) launcher('stop');
    }
    if (chosen.length === 1) return;
  }
  const redis = await RedisServer.start();
  const db = await TestDatabase.create();
  try {
    // The API applies the migrations; then the data set goes in with plain SQL.
    const boot = await startApi(db, 'none', redis);
    await boot.api.stop();
    await seedOrders(db, ORDERS);
    const ids = (await db.query<{ id: string }>('SELECT id FROM orders ORDER BY random() LIMIT 1000')).map((r) => r.id);
    console.log(`Seeded ${ORDERS.toLocaleString('en')} orders`);

    if (runs('reads')) for (const mode of ['redis', 'none'] as const) await readScenarios(db, redis, mode, ids);
    if (runs('auth')) {
      const start = async (env: Record<string, string>) => {
        const { api, url } = await startApi(db, 'redis', redis, env);
        return { url, stop: () => api.stop() };
      };
      for (const { scenario, result } of await authCostScenario({ start, id: ids[0], seconds: SECONDS }))
        record(scenario, 'redis', result);
    }
    if (runs('bulk')) await bulkScenario(db, redis);
    if (runs('events')) {
      await pipelineEventScenario(db, 500);
      for (const mode of ['redis', 'none'] as const) await apiEventScenario(db, redis, mode, 500);
      // The same path below saturation: how much of the latency above is waiting for a core.
      await apiEventScenario(db, redis, 'redis', 200);
    }
    if (runs('backlog')) await backlogScenario(db);
    if (runs('poison')) await poisonFloodScenario(db);
    if (runs('soak')) await soakScenario(db, redis);
    if (runs('scale')) {
      const start = () => startApi(db, 'redis', redis);
      for (const { scenario, result } of await scaleScenarios({ start, ids, seconds: SECONDS }))
        record(scenario, 'redis', result);
    }
  } finally {
    await db.drop();
    await redis.kill();
    launcher('stop');
  }

  const version = spawnSync('psql', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node.js ${process.version}, ${version}`;
  const report = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
    `Data set: ${ORDERS.toLocaleString('en')} orders with two lines each. PostgreSQL, Redis, the Kafka broker, the service and the`,
    'load generator (autocannon, 8 connections, whole milliseconds; "one client" rows: sequential requests, timed to the microsecond) all share the same machine, so absolute numbers',
    'are modest; compare rows of one run. The event rows place orders at a steady rate (open loop), after a 3 s warm-up at that rate, and report the rate achieved:',
    '"committed without HTTP" places them with the service\'s own statement (the event pipeline alone), "offered to the API" through POST /api/orders.',
    '"cache: redis" runs the API with REDIS_URL; "cache: none" with CACHE_TTL_SECONDS=0 (every read goes to PostgreSQL).',
    'The "instance(s)" rows (group scale) use 16 connections: one API instance alone, behind HAProxy, and two behind HAProxy, all on the same cores.',
    '',
    table(),
    '',
  ].join('\n');
  console.log(`\n${table()}\n`);
  // A partial run must not pass for the whole table.
  if (chosen.length > 0) return;
  writeFileSync(join(root, 'docs', 'benchmarks.md'), report + legacySection(join(root, 'docs', 'benchmarks.md')));
  console.log('Written to docs/benchmarks.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
