import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { AppProcess } from '../support/app-process';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { orderDraft, request } from '../support/http';
import { startTestApp } from '../support/test-app';

const main = resolve(__dirname, '../../apps/orders/src/main.js');
const tokenCommand = resolve(__dirname, '../../apps/orders/src/token.js');

/** What `npm run token -- <args>` prints for the data directory: a token the embedded API trusts. */
function mintToken(dataDir: string, ...args: string[]): string {
  const run = spawnSync(process.execPath, [tokenCommand, ...args], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** `npm start` on a data directory, run to its end (it is expected to stop by itself). */
function startAndWaitForExit(dataDir: string) {
  return spawnSync(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', LOG_FORMAT: 'json' },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('embedded mode (no DATABASE_URL)', () => {
  const dataDirs: string[] = [];
  const newDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'orders-embedded-'));
    dataDirs.push(dir);
    return dir;
  };
  after(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('serves the API on PGlite and keeps orders, and the tokens it trusts, across a restart', async () => {
    const dataDir = newDataDir();
    const first = await startTestApp({ DATA_DIR: dataDir });
    const customer = mintToken(dataDir, '--role', 'customer', '--customer', 'customer-1');
    const fulfilment = mintToken(dataDir, '--role', 'fulfilment');
    let id: string;
    try {
      assert.equal((await request(first.baseUrl, 'POST', '/api/orders', { body: orderDraft() })).status, 401);
      const placed = await request(first.baseUrl, 'POST', '/api/orders', { body: orderDraft(), ...bearer(customer) });
      assert.equal(placed.status, 201);
      id = placed.body.id;
      const confirmed = await request(first.baseUrl, 'POST', `/api/orders/${id}/confirm`, bearer(fulfilment));
      assert.equal(confirmed.body.status, 'CONFIRMED');
      assert.equal((await request(first.baseUrl, 'GET', '/health/ready')).status, 200);
    } finally {
      await first.close();
    }

    const second = await startTestApp({ DATA_DIR: dataDir });
    try {
      const fetched = await request(second.baseUrl, 'GET', `/api/orders/${id}`, bearer(customer));
      assert.equal(fetched.status, 200);
      assert.equal(fetched.body.status, 'CONFIRMED');
      assert.equal(fetched.body.version, 2);
      const other = mintToken(dataDir, '--role', 'customer', '--customer', 'customer-2');
      assert.equal((await request(second.baseUrl, 'GET', `/api/orders/${id}`, bearer(other))).status, 404);
    } finally {
      await second.close();
    }
  });

  it('prints a ready-to-paste admin token at start-up', async () => {
    const port = await freePort();
    const app = AppProcess.start({ DATA_DIR: newDataDir(), ROLES: 'api', PORT: String(port), LOG_FORMAT: 'json' });
    try {
      await app.waitUntilLive(port);
      const printed = () => /Authorization: Bearer ([\w.-]+)/.exec(app.output)?.[1];
      await eventually(() => printed() !== undefined, 5_000, 'the admin token line');
      const token = printed()!;
      const base = `http://127.0.0.1:${port}`;
      assert.equal((await request(base, 'POST', '/api/orders', { body: orderDraft(), ...bearer(token) })).status, 201);
      const bulk = { body: { orders: [orderDraft()] }, ...bearer(token) };
      assert.equal((await request(base, 'POST', '/api/orders/bulk', bulk)).status, 201);
    } finally {
      await app.stop();
    }
  });

  it('logs one JSON line per request with its id, none for probes and scrapes', async () => {
    const port = await freePort();
    const app = AppProcess.start({ DATA_DIR: newDataDir(), ROLES: 'api', PORT: String(port), LOG_FORMAT: 'json' });
    try {
      await app.waitUntilLive(port);
      const base = `http://127.0.0.1:${port}`;
      for (const path of ['/health/live', '/health/ready', '/metrics']) await fetch(`${base}${path}`);
      const missing = await fetch(`${base}/api/orders/00000000-0000-4000-8000-000000000000`, {
        headers: { 'x-request-id': 'trace-log-line' },
      });
      assert.equal(missing.status, 401);
      const requestLines = () =>
        app.output
          .split('\n')
          .filter((line) => line.includes('"request completed"'))
          .map((line) => JSON.parse(line) as { requestId: string; req: { method: string; url: string } });
      await eventually(() => requestLines().length > 0, 5_000, 'a request line');
      assert.deepEqual(
        requestLines().map(({ requestId, req }) => ({ requestId, req })),
        [
          {
            requestId: 'trace-log-line',
            req: { method: 'GET', url: '/api/orders/00000000-0000-4000-8000-000000000000' },
          },
        ],
      );
    } finally {
      await app.stop();
    }
  });

  it('keeps taking writes after a statement failed, and is unready while writes fail', async () => {
    const dataDir = newDataDir();
    const app = await startTestApp({ DATA_DIR: dataDir, ROLES: 'api,worker' });
    const admin = bearer(mintToken(dataDir, '--role', 'admin'));
    const call = (method: string, path: string, body?: unknown) =>
      request(app.baseUrl, method, path, { body, ...admin });
    const database = app.app.get(DataSource);
    try {
      // A placement that fails inside PostgreSQL (a rule of the table's, not of the API's).
      await database.query(`ALTER TABLE orders ADD CONSTRAINT no_blocked CHECK (customer_id <> 'blocked')`);
      assert.equal((await call('POST', '/api/orders', orderDraft({ customerId: 'blocked' }))).status, 500);
      await database.query('ALTER TABLE orders DROP CONSTRAINT no_blocked');
      const placed = await call('POST', '/api/orders', orderDraft());
      assert.equal(placed.status, 201);
      assert.equal((await call('POST', `/api/orders/${placed.body.id}/confirm`)).status, 200);
      assert.equal((await call('GET', '/health/ready')).status, 200, 'a rejected row says nothing about health');

      // Writes that fail for the database's own reasons make the process unready until one succeeds.
      await database.query('ALTER TABLE order_lines RENAME TO order_lines_away');
      assert.equal((await call('POST', '/api/orders', orderDraft())).status, 500);
      const unready = await call('GET', '/health/ready');
      assert.equal(unready.status, 503);
      assert.equal(unready.body.checks.details.statements.status, 'down');
      await database.query('ALTER TABLE order_lines_away RENAME TO order_lines');
      assert.equal((await call('POST', '/api/orders', orderDraft())).status, 201);
      assert.equal((await call('GET', '/health/ready')).status, 200);
    } finally {
      await app.close();
    }
  });

  it('refuses to open a data directory another running instance holds, naming it', async () => {
    const dataDir = newDataDir();
    const running = await startTestApp({ DATA_DIR: dataDir });
    try {
      const second = startAndWaitForExit(dataDir);
      assert.equal(second.status, 1, second.stdout + second.stderr);
      assert.match(second.stdout, new RegExp(`in use by another Orders process \\(pid ${process.pid}`));
      assert.ok(second.stdout.includes(resolve(dataDir)), second.stdout);
      assert.equal((await request(running.baseUrl, 'GET', '/health/ready')).status, 200);
    } finally {
      await running.close();
    }
  });

  it('takes over a data directory whose previous owner died without releasing it', async () => {
    const dataDir = newDataDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dataDir, 'orders.lock'), JSON.stringify({ pid: Number(gone.stdout), startedAt: 'earlier' }));
    const app = await startTestApp({ DATA_DIR: dataDir });
    const admin = bearer(mintToken(dataDir, '--role', 'admin'));
    try {
      assert.equal((await request(app.baseUrl, 'POST', '/api/orders', { body: orderDraft(), ...admin })).status, 201);
    } finally {
      await app.close();
    }
  });
});
