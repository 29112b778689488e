import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppProcess } from '../support/app-process';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { orderDraft, request } from '../support/http';
import { kafkaBrokers } from '../support/kafka';
import { rawExchange } from '../support/raw-http';
import { RedisServer } from '../support/redis-server';
import { TestDatabase } from '../support/test-database';

// One instance of the service run as API_WORKERS=2: a supervisor, two API worker processes on one port, and
// one event worker (the outbox relay and the consumer) serving no port.
let db: TestDatabase;
let redis: RedisServer;
let port: number;
let app: AppProcess;

before(async () => {
  [db, redis, port] = await Promise.all([TestDatabase.create(), RedisServer.start(), freePort()]);
  app = AppProcess.start({
    ROLES: 'api,worker',
    API_WORKERS: '2',
    PORT: String(port),
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    LOG_FORMAT: 'json',
  });
  await eventually(
    () => apiWorkers().length === 2 && eventWorkers().length === 1,
    60_000,
    `two ready API workers and an event worker\n${app.output.slice(-2000)}`,
  );
});

after(async () => {
  await app?.kill();
  for (const pid of [...apiWorkers(), ...eventWorkers()]) if (alive(pid)) process.kill(pid, 'SIGKILL');
  await redis?.kill();
  await db?.drop();
});

const base = () => `http://127.0.0.1:${port}`;

/** The JSON log lines of the instance (the supervisor's and every worker's). */
function logLines(): { pid: number; msg: string; context?: string; orderId?: string; req?: { url: string } }[] {
  return app.output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/** API worker processes that said they serve requests, in the order they did. */
function apiWorkers(): number[] {
  return logLines()
    .filter((line) => line.msg.startsWith('Ready on'))
    .map((line) => line.pid);
}

/** Event worker processes that said they started, in the order they did. */
function eventWorkers(): number[] {
  return logLines()
    .filter((line) => line.msg.startsWith('Ready: outbox relay and consumer'))
    .map((line) => line.pid);
}

/** Places an order and waits for its event on its timeline; the pids that logged consuming it. */
async function placeAndFollow(timeoutMs: number): Promise<number[]> {
  const placed = await request(base(), 'POST', '/api/orders', { body: orderDraft() });
  assert.equal(placed.status, 201);
  const consumedBy = () =>
    logLines()
      .filter((line) => line.context === 'OrderEventsConsumer' && line.orderId === placed.body.id)
      .map((line) => line.pid);
  await eventually(
    async () =>
      (await request(base(), 'GET', `/api/orders/${placed.body.id}/events`)).body.events?.length === 1 &&
      consumedBy().length > 0,
    timeoutMs,
    'the order on its timeline',
  );
  return consumedBy();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A GET on a connection of its own, so the cluster hands each request to a worker anew. */
async function getOnNewConnection(path: string): Promise<string> {
  const response = await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: orders\r\nConnection: close\r\n\r\n`);
  assert.match(response.statusLine, /^HTTP\/1\.1 200/, response.body);
  return response.body;
}

async function metric(series: RegExp): Promise<number> {
  const text = await (await fetch(`${base()}/metrics`)).text();
  const lines = text.split('\n').filter((line) => series.test(line));
  assert.equal(lines.length, 1, `one series matching ${series}, got:\n${lines.join('\n')}`);
  return Number(lines[0].split(' ').at(-1));
}

describe('API_WORKERS=2', () => {
  it('serves one port from two worker processes, connections handed to each in turn', async () => {
    const placed = await request(base(), 'POST', '/api/orders', { body: orderDraft() });
    assert.equal(placed.status, 201);
    const marker = `workers-${Date.now()}`;
    for (let i = 0; i < 10; i++) await getOnNewConnection(`/api/orders/${placed.body.id}?probe=${marker}`);
    await eventually(
      () => logLines().filter((line) => line.req?.url.includes(marker)).length === 10,
      10_000,
      'the access log lines of the probes',
    );
    const servedBy = new Set(
      logLines()
        .filter((line) => line.req?.url.includes(marker))
        .map((line) => line.pid),
    );
    assert.deepEqual([...servedBy].sort(), apiWorkers().sort());
  });

  it('reports the metrics of every worker together on /metrics, whichever worker answers', async () => {
    const series =
      /^http_server_request_duration_seconds_count\{method="GET",route="\/health\/live",status_class="2xx"\}/;
    const before = await metric(series).catch(() => 0);
    for (let i = 0; i < 20; i++) await getOnNewConnection('/health/live');
    assert.equal(await metric(series), before + 20);
    // A fact about the database is reported once, not once per worker.
    for (let i = 0; i < 3; i++) await request(base(), 'POST', '/api/orders', { body: orderDraft() });
    const [{ n }] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE status = 'PLACED'`);
    assert.equal(await metric(/^orders_by_status\{status="PLACED"\}/), Number(n));
  });

  it('replaces a worker that dies, and keeps answering meanwhile', async () => {
    const [victim, survivor] = apiWorkers();
    process.kill(victim, 'SIGKILL');
    // A connection handed over in the instant of the crash is lost with the worker, as on any crash.
    const ended = `API worker ${victim} ended (SIGKILL); starting another`;
    await eventually(() => app.output.includes(ended), 10_000, ended);
    for (let i = 0; i < 10; i++) await getOnNewConnection('/health/live');
    await eventually(() => apiWorkers().length === 3, 60_000, `a new worker\n${app.output.slice(-2000)}`);
    assert.ok(alive(survivor));
    assert.equal((await request(base(), 'POST', '/api/orders', { body: orderDraft() })).status, 201);
  });

  it('applies events in the event worker alone, and replaces it when it dies', async () => {
    const [eventWorker] = eventWorkers();
    assert.ok(!apiWorkers().includes(eventWorker));
    assert.deepEqual(await placeAndFollow(20_000), [eventWorker]);
    process.kill(eventWorker, 'SIGKILL');
    const ended = `Event worker ${eventWorker} ended (SIGKILL); starting another`;
    await eventually(() => app.output.includes(ended), 10_000, ended);
    await eventually(() => eventWorkers().length === 2, 60_000, `a new event worker\n${app.output.slice(-2000)}`);
    // The group hands the partitions on once the dead member's session (30 s) ends.
    assert.deepEqual(await placeAndFollow(90_000), [eventWorkers()[1]]);
  });

  it('passes SIGTERM on to every worker and exits 0 once they all have', async () => {
    const workers = [...apiWorkers(), ...eventWorkers()].filter(alive);
    assert.equal(workers.length, 3);
    await app.stop();
    assert.equal(await app.ended(), 0);
    assert.deepEqual(workers.filter(alive), []);
  });
});

describe('a worker that cannot start', () => {
  it('ends the supervisor with its exit code, as a single process would end', async () => {
    // No issuer and authentication not turned off: every worker refuses to start.
    const refused = AppProcess.start({
      ROLES: 'api,worker',
      API_WORKERS: '2',
      PORT: String(await freePort()),
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      AUTH_DISABLED: 'false',
      LOG_FORMAT: 'json',
    });
    assert.equal(await refused.ended(), 1);
    assert.match(refused.output, /AUTH_ISSUER/);
  });
});
