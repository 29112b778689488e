import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { orderDraft, request } from '../support/http';
import { eventually } from '../support/eventually';
import { kafkaBrokers, produce } from '../support/kafka';
import { grafanaDashboardsDir, PrometheusServer, promtoolBin, repoRoot } from '../support/prometheus';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

// Needs the Debian packages `prometheus` (prometheus, promtool) and `docker-compose`.

const ALERTS = [
  'HighErrorRate',
  'HighLatency',
  'OutboxBacklogStale',
  'OutboxPublishErrors',
  'ConsumerLagHigh',
  'ConsumerPartitionStalled',
  'DeadLettersProduced',
  'EventContractViolations',
  'CacheErrorRate',
  'CacheUnavailable',
  'TargetDown',
  'EventLoopLagHigh',
  'DbPoolExhausted',
];

/**
 * Dashboard queries that may legitimately return nothing here, by "<dashboard file> / <panel title> / <refId>".
 * Everything else must return data after the traffic this suite drives.
 */
const MAY_BE_EMPTY: Record<string, string> = {
  // The panel's other target, the total, falls back to 0 and must answer.
  'cache.json / Errors by operation / A': 'cache_errors_total only has series once a Redis operation has failed',
};

/** Grafana's variables, as the dashboards use them, with values that make sense for an instant query. */
const GRAFANA_VARIABLES: Record<string, string> = {
  $__rate_interval: '1m',
  $__interval: '15s',
  $__range: '1h',
  $job: 'orders-api|orders-worker',
};

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { type: string; uid: string } }[];
  panels?: Panel[];
}

interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating?: { list: { name: string; type: string; query?: string | { query: string } }[] };
}

interface DashboardQuery {
  id: string;
  expr: string;
}

const dashboardFiles = readdirSync(grafanaDashboardsDir)
  .filter((name) => name.endsWith('.json'))
  .sort();
const dashboards = dashboardFiles.map((file) => ({
  file,
  dashboard: JSON.parse(readFileSync(join(grafanaDashboardsDir, file), 'utf8')) as Dashboard,
}));

function panelsOf(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])]);
}

function withGrafanaVariables(expr: string): string {
  let result = expr;
  // Longest names first, so $__range never eats part of $__rate_interval.
  for (const name of Object.keys(GRAFANA_VARIABLES).sort((a, b) => b.length - a.length)) {
    result = result.split(name).join(GRAFANA_VARIABLES[name]);
  }
  return result;
}

/** Every panel target and every query variable, with Grafana's variables filled in. */
function dashboardQueries(): DashboardQuery[] {
  return dashboards.flatMap(({ file, dashboard }) => [
    ...panelsOf(dashboard.panels).flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        id: `${file} / ${panel.title} / ${target.refId}`,
        expr: withGrafanaVariables(target.expr),
      })),
    ),
    ...(dashboard.templating?.list ?? [])
      .filter((variable) => variable.type === 'query')
      .map((variable) => {
        const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
        // label_values(<selector>, <label>): the selector must find series.
        const selector = /^label_values\((.+),\s*\w+\)$/.exec(query)?.[1] ?? query;
        return { id: `${file} / variable ${variable.name}`, expr: withGrafanaVariables(selector) };
      }),
  ]);
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8' });
  const output = result.error ? `${command}: ${result.error.message}` : `${result.stdout}${result.stderr}`;
  return { status: result.status, output };
}

describe('monitoring configuration', () => {
  it('passes promtool check config, which also checks the rule files it loads', () => {
    const result = run(promtoolBin, ['check', 'config', 'deploy/prometheus/prometheus.yml']);
    assert.equal(result.status, 0, result.output);
  });

  it('passes the alert rule unit tests', () => {
    const result = run(promtoolBin, ['test', 'rules', 'deploy/prometheus/alerts.test.yml']);
    assert.equal(result.status, 0, result.output);
  });

  it('has a docker-compose.yml that Compose accepts', () => {
    const result = run('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q']);
    assert.equal(result.status, 0, result.output);
  });

  it('has dashboards with unique uids, each query on the provisioned prometheus datasource', () => {
    assert.deepEqual(dashboardFiles, ['cache.json', 'kafka-outbox.json', 'orders.json', 'service-overview.json']);
    assert.equal(new Set(dashboards.map(({ dashboard }) => dashboard.uid)).size, dashboards.length);
    for (const { file, dashboard } of dashboards) {
      assert.ok(dashboard.uid && dashboard.title && dashboard.schemaVersion >= 36, file);
      for (const panel of panelsOf(dashboard.panels).filter((p) => p.type !== 'row')) {
        const where = `${file} / ${panel.title}`;
        assert.ok(panel.targets?.length, `${where}: no queries`);
        assert.deepEqual(panel.datasource, { type: 'prometheus', uid: 'prometheus' }, where);
        for (const target of panel.targets) {
          assert.equal(target.datasource?.uid ?? 'prometheus', 'prometheus', where);
          assert.ok(target.expr.trim(), `${where} / ${target.refId}: empty expr`);
        }
      }
    }
  });
});

describe('Prometheus scraping the running service', () => {
  let db: TestDatabase;
  let app: TestApp;
  let prometheus: PrometheusServer;

  const call = (method: string, path: string, options?: Parameters<typeof request>[3]) =>
    request(app.baseUrl, method, path, options);

  async function place(overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await call('POST', '/api/orders', { body: orderDraft(overrides) });
    assert.equal(res.status, 201);
    return res.body.id;
  }

  async function step(id: string, action: string, expected = 200): Promise<void> {
    const res = await call('POST', `/api/orders/${id}/${action}`);
    assert.equal(res.status, expected, `${action} ${id}: ${JSON.stringify(res.body)}`);
  }

  /** Orders through every lifecycle step, cached reads, client errors and one poison event. */
  async function driveTraffic(): Promise<void> {
    const delivered = await place();
    for (const action of ['confirm', 'ship', 'deliver']) await step(delivered, action);

    const cancelledPlaced = await place({ currency: 'USD' });
    assert.equal((await call('DELETE', `/api/orders/${cancelledPlaced}?reason=out_of_stock`)).status, 200);
    const cancelledConfirmed = await place();
    await step(cancelledConfirmed, 'confirm');
    assert.equal((await call('DELETE', `/api/orders/${cancelledConfirmed}?reason=customer_request`)).status, 200);
    await step(cancelledConfirmed, 'ship', 409); // an illegal transition: a 4xx

    const bulk = await call('POST', '/api/orders/bulk', { body: { orders: [orderDraft(), orderDraft()] } });
    assert.equal(bulk.status, 201);
    const open = await place();

    // Reads after the writes: the first may miss and fill the cache, the second then hits it.
    for (let i = 0; i < 2; i++) {
      assert.equal((await call('GET', `/api/orders/${open}`)).status, 200);
      assert.equal((await call('GET', `/api/orders/${delivered}`)).status, 200);
      assert.equal((await call('GET', '/api/orders?limit=5')).status, 200);
    }
    assert.equal((await call('GET', `/api/orders/${randomUUID()}`)).status, 404);
    assert.equal((await call('GET', '/no/such/route')).status, 404);

    // Consumed once the timelines show every event (the worker's consumer group also reads what
    // other suites left on the topic, so its counts and lag cannot tell).
    const timeline = async (id: string) => (await call('GET', `/api/orders/${id}/events`)).body.events?.length;
    await eventually(
      async () => (await timeline(delivered)) === 4 && (await timeline(open)) === 1,
      30_000,
      'the events to be consumed',
    );

    await produce('orders', [
      {
        key: randomUUID(),
        value: 'not json {',
        headers: {
          ce_specversion: '1.0',
          ce_id: randomUUID(),
          ce_type: 'ORDER_PLACED',
          ce_source: '/orders',
          ce_time: new Date().toISOString(),
          ce_schemaversion: '1',
        },
      },
    ]);
  }

  /** Waits for a scrape that started after `time` and shows the outbox empty and `deadLetters` dead letters. */
  async function waitForScrapeAfter(time: number, deadLetters: number): Promise<void> {
    const value = async (expr: string) => (await prometheus.value(expr)) ?? NaN;
    await eventually(
      async () =>
        (await value('min(timestamp(up))')) * 1000 > time &&
        (await value('max(outbox_pending_events{job="orders-worker"})')) === 0 &&
        (await value('sum(order_events_consumed_total{job="orders-worker", result="dead_lettered"})')) >= deadLetters,
      30_000,
      'a scrape after the traffic',
    );
  }

  before(async () => {
    db = await TestDatabase.create();
    app = await startTestApp({
      DATABASE_URL: db.url,
      ROLES: 'api,worker',
      KAFKA_BROKERS: kafkaBrokers.join(','),
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    // One process runs both roles here, so both jobs scrape it.
    prometheus = await PrometheusServer.start(new URL(app.baseUrl).host, '1s');
    await eventually(async () => (await prometheus.value('sum(up)')) === 2, 30_000, 'both jobs to be scraped');

    // Labelled series only appear with their first increment, which rate() and increase() cannot
    // see; a second round, once the first has been scraped, makes every rate below non-zero.
    for (const round of [1, 2]) {
      await driveTraffic();
      await waitForScrapeAfter(Date.now(), round);
    }
    // A few scrapes more, so that rates see samples on both sides of the activity.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  });

  after(async () => {
    await prometheus?.stop();
    await app?.close();
    await db?.drop();
  });

  it('scrapes the process as both orders-api and orders-worker', async () => {
    for (const job of ['orders-api', 'orders-worker']) {
      assert.equal(await prometheus.value(`up{job="${job}"}`), 1, job);
    }
  });

  it('counts the driven activity with the labels of the metrics contract', async () => {
    const valuesBy = async (expr: string, label: string): Promise<Record<string, number>> => {
      const response = await prometheus.query(expr);
      assert.equal(response.status, 'success', `${expr}: ${response.error}`);
      return Object.fromEntries(response.data!.result.map((r) => [r.metric[label], Number(r.value![1])]));
    };
    const expectations: [string, string, string[]][] = [
      ['orders_created_total{job="orders-api"}', 'channel', ['single', 'bulk']],
      ['order_transitions_total{job="orders-api"}', 'to', ['CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED']],
      ['order_cancellations_total{job="orders-api"}', 'reason', ['out_of_stock', 'customer_request']],
      ['order_value_minor_units_count{job="orders-api"}', 'currency', ['EUR', 'USD']],
      ['cache_hits_total{job="orders-api"}', 'kind', ['order', 'list']],
      ['cache_misses_total{job="orders-api"}', 'kind', ['order', 'list']],
      ['order_events_consumed_total{job="orders-worker"}', 'result', ['processed', 'dead_lettered']],
      ['http_server_request_duration_seconds_count{job="orders-api"}', 'status_class', ['2xx', '4xx']],
      [
        'http_server_request_duration_seconds_count{job="orders-api", method="POST"}',
        'route',
        [
          '/api/orders',
          '/api/orders/bulk',
          '/api/orders/:id/confirm',
          '/api/orders/:id/ship',
          '/api/orders/:id/deliver',
        ],
      ],
    ];
    for (const [selector, label, values] of expectations) {
      const byLabel = await valuesBy(`sum by (${label}) (increase(${selector}[1h]))`, label);
      for (const value of values)
        assert.ok(byLabel[value] > 0, `${selector} ${label}="${value}": ${JSON.stringify(byLabel)}`);
    }
    const routes = Object.keys(
      await valuesBy('sum by (route) (http_server_request_duration_seconds_count{job="orders-api"})', 'route'),
    );
    assert.ok(routes.includes('/api/orders/:id'), routes.join(', '));
    // Templates only: a raw path would carry an order id and make the label unbounded.
    assert.deepEqual(
      routes.filter((route) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(route) || route.includes('/no/such')),
      [],
    );
    assert.ok(
      ((await prometheus.value('sum(increase(outbox_published_events_total{job="orders-worker"}[1h]))')) ?? 0) > 0,
    );
  });

  it('loads every alert rule and evaluates each without errors', async () => {
    await eventually(
      async () => (await prometheus.ruleGroups()).every((g) => g.rules.every((r) => r.health !== 'unknown')),
      15_000,
      'every rule to be evaluated',
    );
    const rules = (await prometheus.ruleGroups()).flatMap((group) => group.rules);
    assert.deepEqual(rules.map((rule) => rule.name).sort(), [...ALERTS].sort());
    for (const rule of rules) {
      assert.equal(rule.type, 'alerting', rule.name);
      assert.equal(rule.health, 'ok', `${rule.name}: ${rule.lastError}`);
      assert.ok(!rule.lastError, `${rule.name}: ${rule.lastError}`);
    }
  });

  it('answers every alert expression as a query', async () => {
    const rules = (await prometheus.ruleGroups()).flatMap((group) => group.rules);
    for (const rule of rules) {
      const response = await prometheus.query(rule.query);
      assert.equal(response.status, 'success', `${rule.name}: ${response.error}`);
    }
  });

  it('fires DeadLettersProduced for the poison record', async () => {
    await eventually(
      async () =>
        (await prometheus.alerts()).some((a) => a.labels.alertname === 'DeadLettersProduced' && a.state === 'firing'),
      15_000,
      'DeadLettersProduced to fire',
    );
  });

  it('answers every dashboard query, with data for the activity driven here', async () => {
    const queries = dashboardQueries();
    assert.ok(queries.length > 40, `only ${queries.length} dashboard queries found`);
    const ids = new Set(queries.map((query) => query.id));
    for (const id of Object.keys(MAY_BE_EMPTY)) assert.ok(ids.has(id), `stale exception: ${id}`);
    const problems: string[] = [];
    for (const { id, expr } of queries) {
      if (expr.includes('$')) {
        problems.push(`${id}: unresolved Grafana variable in ${expr}`);
        continue;
      }
      const response = await prometheus.query(expr);
      if (response.status !== 'success') problems.push(`${id}: ${response.errorType}: ${response.error}`);
      else if (response.data!.result.length === 0 && !(id in MAY_BE_EMPTY)) problems.push(`${id}: no data for ${expr}`);
    }
    assert.deepEqual(problems, []);
  });
});
