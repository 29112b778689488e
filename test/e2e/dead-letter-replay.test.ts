import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppProcess } from '../support/app-process';
import { eventually } from '../support/eventually';
import { orderDraft, request } from '../support/http';
import { kafkaBrokers, TopicReader } from '../support/kafka';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

let db: TestDatabase;
let api: TestApp;
let worker: AppProcess;
let orders: TopicReader;
let deadLetters: TopicReader;

/** `npm run dlt:replay -- <args>`, as an operator runs it. */
function replay(...args: string[]): string {
  const run = spawnSync(process.execPath, [resolve(__dirname, '../../apps/orders/src/dlt-replay.js'), ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      LOG_LEVEL: 'warn',
    },
    encoding: 'utf8',
    timeout: 90_000,
  });
  assert.equal(run.status, 0, `dlt:replay ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

const timelineOf = async (orderId: string) =>
  db.query<{ event_id: string }>('SELECT event_id FROM order_timeline WHERE order_id = $1', [orderId]);

before(async () => {
  db = await TestDatabase.create();
  api = await startTestApp({ DATABASE_URL: db.url, ROLES: 'api' });
  worker = AppProcess.start({ DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers.join(',') });
  orders = await TopicReader.start('orders');
  deadLetters = await TopicReader.start('orders.DLT');
  // A projection that rejects every event while a row in projection_broken says so: a bug, then its fix.
  await db.query(`
    CREATE TABLE projection_broken (reason text);
    CREATE FUNCTION refuse_while_broken() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM projection_broken) THEN
        RAISE EXCEPTION 'projection bug' USING ERRCODE = '23514';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER refuse_while_broken BEFORE INSERT ON order_timeline
      FOR EACH ROW EXECUTE FUNCTION refuse_while_broken();`);
});

after(async () => {
  await worker?.stop();
  await orders?.stop();
  await deadLetters?.stop();
  await api?.close();
  await db?.drop();
});

describe('dead-letter replay', () => {
  it('replays a dead letter, once its cause is fixed, into the timeline exactly once; dry run first', async () => {
    const since = new Date();
    await db.query(`INSERT INTO projection_broken VALUES ('bug')`);
    const { id } = (await request(api.baseUrl, 'POST', '/api/orders', { body: orderDraft() })).body;
    const [dead] = (await deadLetters.waitFor((records) => records.some((r) => r.key === id), 60_000)).filter(
      (r) => r.key === id,
    );
    assert.equal(dead.headers.dlt_reason, 'processing-failed');
    assert.equal((await timelineOf(id)).length, 0);
    await db.query('DELETE FROM projection_broken'); // the fix

    const where = `orders.DLT/${dead.partition}@${dead.offset} ORDER_PLACED key=${id}`;
    const dryRun = replay('--since', since.toISOString(), '--type', 'ORDER_PLACED', '--dry-run');
    assert.match(
      dryRun,
      new RegExp(`^would replay ${where} ce_id=${dead.headers.ce_id} reason=processing-failed`, 'm'),
    );
    assert.match(dryRun, /would replay 1, already replayed 0$/m);
    assert.doesNotMatch(
      replay('--since', since.toISOString(), '--type', 'ORDER_CANCELLED', '--dry-run'),
      /ORDER_PLACED/,
    );
    assert.equal((await db.query('SELECT 1 FROM dead_letter_replays')).length, 0);

    assert.match(
      replay('--since', since.toISOString(), '--type', 'ORDER_PLACED'),
      new RegExp(`^replayed ${where}`, 'm'),
    );
    await eventually(async () => (await timelineOf(id)).length === 1, 60_000, 'the replayed event in the timeline');
    assert.deepEqual(
      (await timelineOf(id)).map((row) => row.event_id),
      [dead.headers.ce_id],
    );

    const again = replay('--since', since.toISOString());
    assert.match(again, new RegExp(`^skip +${where}.*\\(replayed `, 'm'));
    assert.match(again, /replayed 0, already replayed 1$/m);
    // The replay is the original event again, once: the topic holds it twice (sent, replayed), never more.
    await orders.waitFor((records) => records.filter((r) => r.key === id).length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const copies = orders.records.filter((r) => r.key === id);
    assert.deepEqual(
      copies.map((r) => [r.headers.ce_id, r.headers.dlt_reason]),
      [
        [dead.headers.ce_id, undefined],
        [dead.headers.ce_id, undefined],
      ],
    );
    assert.equal((await timelineOf(id)).length, 1);
  });
});
