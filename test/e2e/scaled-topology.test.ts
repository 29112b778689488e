import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../support/eventually';
import { orderDraft, request } from '../support/http';
import { withAdmin } from '../support/kafka';
import { type Instance, ScaledTopology } from '../support/scaled-topology';
import { SteadyLoad } from '../support/steady-load';

// One topology for the whole suite: starting it is most of its cost.
let topology: ScaledTopology;

before(async () => {
  topology = await ScaledTopology.start();
});

after(async () => {
  await topology?.stop();
});

const direct = (instance: Instance) => `http://127.0.0.1:${instance.port}`;
const count = async (sql: string) => Number((await topology.db.query<{ n: string }>(sql))[0].n);

describe('two workers in one consumer group', () => {
  it('split the partitions of orders evenly, each partition held by exactly one', async () => {
    const partitions = await withAdmin(async (admin) => (await admin.fetchTopicOffsets('orders')).length);
    const held = await topology.waitForGroup(['worker-1', 'worker-2']);
    assert.deepEqual(
      Object.values(held).map((list) => list.length),
      [partitions / 2, partitions / 2],
    );
    assert.deepEqual(
      Object.values(held)
        .flat()
        .sort((a, b) => a - b),
      Array.from({ length: partitions }, (_, i) => i),
    );
  });
});

describe('two API instances sharing Redis', () => {
  it('never serve a stale order or list: a write through one is read at once through the other', async () => {
    const [a, b] = topology.apis.map(direct);
    let hits = 0;
    for (const [writer, reader] of [
      [a, b],
      [b, a],
      [a, b],
      [b, a],
    ]) {
      const customerId = `customer-${Math.random().toString(36).slice(2)}`;
      const list = () => request(reader, 'GET', `/api/orders?customerId=${customerId}`);
      assert.deepEqual((await list()).body.items, []); // cached empty
      const placed = await request(writer, 'POST', '/api/orders', { body: orderDraft({ customerId }) });
      assert.equal(placed.status, 201);
      assert.deepEqual(
        (await list()).body.items.map((order: { id: string }) => order.id),
        [placed.body.id],
      );

      const byId = () => request(reader, 'GET', `/api/orders/${placed.body.id}`);
      await byId();
      const cached = await byId();
      if (cached.headers.get('x-cache') === 'HIT') hits++;
      assert.equal(cached.body.status, 'PLACED');
      assert.equal((await request(writer, 'POST', `/api/orders/${placed.body.id}/confirm`)).status, 200);
      const read = await byId();
      assert.equal(read.body.status, 'CONFIRMED');
      assert.equal(read.headers.get('etag'), '"2"');
      const confirmed = await request(reader, 'GET', `/api/orders?customerId=${customerId}&status=CONFIRMED`);
      assert.deepEqual(
        confirmed.body.items.map((order: { id: string }) => order.id),
        [placed.body.id],
      );
    }
    // The reads above went through the shared cache, not around it.
    assert.equal(hits, 4);
  });
});

describe('a rolling restart of the API instances behind HAProxy', () => {
  it('loses no request: each instance turns unready, is taken out, finishes its requests, and comes back', async (t) => {
    const load = new SteadyLoad(topology.haproxy.url, 4, 10);
    await sleep(1_000);
    for (const api of topology.apis) {
      const stopped = api.process.stop(); // SIGTERM
      await eventually(
        async () => (await fetch(`${direct(api)}/health/ready`)).status === 503,
        5_000,
        `${api.name} to turn unready`,
      );
      await topology.haproxy.waitFor(api.name, 'DOWN');
      assert.ok(api.process.running, `${api.name} was taken out of rotation before it exited`);
      await stopped;
      await topology.startApi(api);
      await topology.haproxy.waitFor(api.name, 'UP');
      await sleep(500); // both instances serve again before the next one goes
    }
    const result = await load.stop();
    t.diagnostic(`rolling restart: ${result.sent} requests sent, ${result.failures.length} failed`);
    assert.deepEqual(result.failures, []);
    assert.equal(result.succeeded, result.sent);
    assert.ok(result.sent > 200, `a steady load was running (${result.sent} requests)`);
    const stored = await topology.db.query('SELECT id FROM orders WHERE id = ANY($1::uuid[])', [result.created]);
    assert.equal(stored.length, result.created.length);
  });
});

describe('a worker killed mid-stream', () => {
  it('hands its partitions and the relay lead to the other with no event lost, duplicates absorbed; back, it rebalances', async (t) => {
    const load = new SteadyLoad(topology.haproxy.url, 2, 20);
    await eventually(
      async () => (await count('SELECT count(*) AS n FROM order_timeline')) > 50,
      30_000,
      'events to flow',
    );
    const leaders = topology.relayLeaders();
    assert.equal(leaders.length, 1, 'one worker leads the outbox relay');
    const [killed] = leaders;
    const survivor = topology.workers.find((worker) => worker !== killed)!;
    await killed.process.kill(); // SIGKILL: no commit, no leave-group, no unlock

    await eventually(() => topology.relayLeaders()[0] === survivor, 30_000, `${survivor.name} to lead the relay`);
    // The group notices a dead member only when its session (30 s) runs out.
    const alone = await topology.waitForGroup([survivor.name], 60_000);
    assert.equal(
      alone[survivor.name].length,
      await withAdmin(async (a) => (await a.fetchTopicOffsets('orders')).length),
    );

    await topology.startWorker(killed);
    const rebalanced = await topology.waitForGroup(['worker-1', 'worker-2']);
    assert.equal(rebalanced['worker-1'].length, rebalanced['worker-2'].length);

    const placed = await load.stop();
    assert.deepEqual(placed.failures, []);
    const sent = await count('SELECT count(*) AS n FROM outbox');
    await eventually(
      async () => (await count('SELECT count(*) AS n FROM order_timeline')) === sent,
      60_000,
      'every event to reach the timeline',
    );
    const lost = await count(
      'SELECT count(*) AS n FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM order_timeline t WHERE t.event_id = o.event_id)',
    );
    const duplicates = await topology.metric(survivor, /^order_events_consumed_total\{result="duplicate"/);
    t.diagnostic(`worker kill: ${sent} events sent, ${lost} lost, ${duplicates} delivered again and absorbed`);
    assert.equal(lost, 0);
    // Offsets are committed once a second: what the killed worker handled since is delivered again.
    assert.ok(duplicates > 0, 'the survivor was handed events the killed worker had already applied');

    const [sample] = placed.created.slice(-1);
    const timeline = await request(topology.haproxy.url, 'GET', `/api/orders/${sample}/events`);
    assert.deepEqual(
      timeline.body.events.map((event: { type: string }) => event.type),
      ['ORDER_PLACED'],
    );
  });
});
