import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppProcess } from '../support/app-process';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { kafkaBrokers, TopicReader } from '../support/kafka';
import { clusterNode, clusterNodes, partitionStates } from '../support/kafka-cluster';
import { OrderStream } from '../support/order-stream';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

// Needs the three-node cluster test/run-tests.mjs starts (KAFKA_NODES=3).
let db: TestDatabase;
let api: TestApp;
let worker: AppProcess;
/** Joins the group mid-stream and leaves it after the second broker is back: two rebalances. */
let secondWorker: AppProcess | undefined;
let workerPort: number;
let topic: TopicReader;
let stream: OrderStream;
const figures: Record<string, number | string> = {};
let firstKilled = 0;
let secondKilled = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(sql, params))[0].n);
const unpublished = () => count('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL');
/** Distinct events of this suite's orders seen on the topic, as another team's consumer sees them. */
const ourRecords = () => {
  const ours = new Set(stream.orders);
  return topic.records.filter((record) => record.key !== null && ours.has(record.key));
};

/** The worker's samples of one metric, by their label text, as Prometheus would scrape them. */
async function scrape(name: string): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${workerPort}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const [, labels = '', value] of text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm')))
    samples.set(labels, Number(value));
  return samples;
}

/** Every event in the outbox reached the topic and the worker's timeline, each order's in order. */
async function assertCompleteAndInOrder(): Promise<void> {
  await eventually(async () => (await unpublished()) === 0, 90_000, 'the outbox to drain');
  const sentIds = new Set((await db.query<{ event_id: string }>('SELECT event_id FROM outbox')).map((r) => r.event_id));
  await eventually(
    async () =>
      (await count('SELECT count(*) AS n FROM order_timeline WHERE event_id = ANY($1::uuid[])', [[...sentIds]])) ===
      sentIds.size,
    90_000,
    'the timeline to hold every event',
  );
  // Distinct events: a batch the relay sent again after a lost acknowledgement is on the topic twice.
  await topic.waitFor(
    (records) => new Set(records.map((r) => r.headers.ce_id).filter((id) => sentIds.has(id))).size === sentIds.size,
    60_000,
  );

  const records = topic.records.filter((record) => sentIds.has(record.headers.ce_id));
  const received = new Set(records.map((record) => record.headers.ce_id));
  const firstSeen = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const record of records) {
    if (seen.has(record.headers.ce_id)) continue;
    seen.add(record.headers.ce_id);
    firstSeen.set(record.key!, [...(firstSeen.get(record.key!) ?? []), record.headers.ce_type]);
  }
  // The stream runs on: an order whose confirmation was not yet written has its ORDER_PLACED alone.
  const lifecycle = ['ORDER_PLACED', 'ORDER_CONFIRMED'];
  const outOfOrder = [...firstSeen].filter(([, types]) => types.join() !== lifecycle.slice(0, types.length).join());
  const timelineOutOfOrder = await count(
    `SELECT count(*) AS n FROM order_timeline placed JOIN order_timeline confirmed USING (order_id)
      WHERE placed.event_type = 'ORDER_PLACED' AND confirmed.event_type = 'ORDER_CONFIRMED'
        AND confirmed.recorded_at < placed.recorded_at`,
  );
  const timelineDuplicates = await count(
    `SELECT count(*) AS n FROM (SELECT order_id, event_type FROM order_timeline
      GROUP BY order_id, event_type HAVING count(*) > 1) d`,
  );
  Object.assign(figures, {
    eventsSent: sentIds.size,
    eventsReceived: received.size,
    eventsLost: [...sentIds].filter((id) => !received.has(id)).length,
    duplicatesOnTopic: records.length - received.size,
  });
  assert.equal(figures.eventsLost, 0, 'events lost');
  assert.deepEqual(outOfOrder, [], 'orders whose events reached the topic out of order');
  assert.equal(timelineOutOfOrder, 0, 'orders confirmed before placed in the timeline');
  assert.equal(timelineDuplicates, 0, 'events applied twice to the timeline');
  assert.deepEqual(stream.refused, [], 'requests the API refused');
}

before(async () => {
  assert.equal(clusterNodes, 3, 'this suite needs the three-node cluster (KAFKA_NODES=3)');
  db = await TestDatabase.create();
  api = await startTestApp({ DATABASE_URL: db.url, ROLES: 'api' });
  topic = await TopicReader.start('orders');
  workerPort = await freePort();
  worker = AppProcess.start({ DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers.join(','), PORT: String(workerPort) });
  stream = OrderStream.start(api.baseUrl);
});

after(async () => {
  await stream?.stop();
  // Leave the cluster whole for the next suite, whatever happened here.
  for (const node of [firstKilled, secondKilled].filter(Boolean)) await clusterNode('start-node', node);
  await secondWorker?.stop();
  await worker?.stop();
  await topic?.stop();
  await api?.close();
  await db?.drop();
  console.log(`broker failover figures: ${JSON.stringify(figures)}`);
});

describe('a three-broker cluster under a steady stream of orders, with consumers joining and leaving', () => {
  it('loses no event and keeps each order in order when the broker leading most partitions is killed', async (t) => {
    await eventually(async () => (await count('SELECT count(*) AS n FROM order_timeline')) >= 40, 60_000, 'flow');
    secondWorker = AppProcess.start({ DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers.join(',') });
    await sleep(3_000);
    const before = await partitionStates('orders');
    const led = (node: number) => before.filter((p) => p.leader === node).map((p) => p.partition);
    firstKilled = [1, 2, 3].sort((a, b) => led(b).length - led(a).length)[0];
    const killedAt = new Date();
    await clusterNode('kill-node', firstKilled);
    const ledPartitions = led(firstKilled);

    // Some events placed after the kill on the partitions the killed broker led must reach the timeline.
    await sleep(5_000);
    await assertCompleteAndInOrder();
    const onLedPartitions = ourRecords()
      .filter((record) => ledPartitions.includes(record.partition))
      .map((record) => record.headers.ce_id);
    const recovery = await db.query<{ first: Date | null; led: Date | null }>(
      `SELECT min(t.recorded_at) AS first,
              min(t.recorded_at) FILTER (WHERE t.event_id = ANY($2::uuid[])) AS led
         FROM order_timeline t JOIN outbox o USING (event_id) WHERE o.created_at > $1`,
      [killedAt, onLedPartitions],
    );
    const seconds = (at: Date | null) => (at ? (at.getTime() - killedAt.getTime()) / 1000 : NaN);
    figures.killedNode = firstKilled;
    figures.partitionsItLed = ledPartitions.length;
    figures.secondsToNextConsumedEvent = seconds(recovery[0].first);
    figures.secondsToNextEventOnItsPartitions = seconds(recovery[0].led);
    t.diagnostic(`killed node ${firstKilled}: ${JSON.stringify(figures)}`);
    console.log(`after killing the leader of most partitions: ${JSON.stringify(figures)}`);
    assert.ok(ledPartitions.length >= 2, `node ${firstKilled} led ${ledPartitions.length} of ${before.length}`);
    assert.ok(Number.isFinite(figures.secondsToNextEventOnItsPartitions), 'its partitions flow again');
    await eventually(
      async () =>
        (await partitionStates('orders')).every((p) => p.leader !== firstKilled && !p.isr.includes(firstKilled)),
      30_000,
      `node ${firstKilled} out of every leadership and in-sync replica set`,
    );
  });

  it('keeps accepting orders into the outbox, publishing none, with one broker left (below min.insync.replicas)', async () => {
    secondKilled = [1, 2, 3].find((node) => node !== firstKilled)!;
    await clusterNode('kill-node', secondKilled);
    const killedAt = new Date();
    const placedBefore = stream.orders.length;
    await sleep(10_000);
    assert.ok(stream.orders.length - placedBefore >= 20, `orders accepted: ${stream.orders.length - placedBefore}`);
    assert.deepEqual(stream.refused, []);
    // Allow a moment for requests already in flight at the kill; later events must all wait.
    const later = await db.query<{ event_id: string; published_at: Date | null }>(
      `SELECT event_id, published_at FROM outbox WHERE created_at > $1`,
      [new Date(killedAt.getTime() + 2_000)],
    );
    assert.ok(later.length > 0);
    assert.deepEqual(
      later.filter((row) => row.published_at !== null),
      [],
    );
    const laterIds = new Set(later.map((row) => row.event_id));
    assert.equal(topic.records.filter((record) => laterIds.has(record.headers.ce_id)).length, 0);
    figures.waitingInOutboxWithOneBroker = await unpublished();
    // What OutboxBacklogStale watches: the backlog's age, read from the database, keeps growing.
    const [age] = (await scrape('outbox_oldest_pending_age_seconds')).values();
    assert.ok(age >= 5, `oldest unpublished event ${age} s old`);
    figures.outboxOldestAgeWithOneBroker = age;
  });

  it('publishes the backlog and the new orders, in order, once a second broker is back', async () => {
    const restartedAt = Date.now();
    await clusterNode('start-node', firstKilled);
    await assertCompleteAndInOrder();
    figures.secondsFromRestartToDrained = (Date.now() - restartedAt) / 1000;
    await secondWorker?.stop();
    firstKilled = 0;
  });

  it('brings every partition back in sync once the last broker is restarted', async () => {
    await clusterNode('start-node', secondKilled);
    secondKilled = 0;
    for (const name of ['orders', 'orders.DLT'])
      await eventually(
        async () => (await partitionStates(name)).every((p) => p.isr.length === 3),
        90_000,
        `${name} fully in sync`,
      );
    await stream.stop();
    await assertCompleteAndInOrder();
    // The lag gauges (ConsumerLagHigh, ConsumerPartitionStalled) cover every partition and read 0 again.
    await eventually(
      async () => {
        const lag = [...(await scrape('kafka_consumer_lag_messages'))];
        const zero = (partition: number) =>
          lag.some(([labels, value]) => labels.includes(`partition="${partition}"`) && value === 0);
        return (await partitionStates('orders')).every((p) => zero(p.partition));
      },
      30_000,
      'consumer lag 0 on every partition',
    );
  });
});
