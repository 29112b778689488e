import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadEventValidators, ORDERS_WORKER_GROUP } from '@app/orders';
import { orderDraft, request } from '../support/http';
import { eventually } from '../support/eventually';
import { assertPublishedEventsKeepContract } from '../support/event-contract';
import { broker, kafkaBrokers, produce, ReadRecord, TopicReader, waitForCommit } from '../support/kafka';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

let db: TestDatabase;
let api: TestApp;
let orders: TopicReader;
let deadLetters: TopicReader;
const validators = loadEventValidators();

const call = (method: string, path: string, options?: Parameters<typeof request>[3]) =>
  request(api.baseUrl, method, path, options);
const eventsOf = (orderId: string) => orders.records.filter((r) => r.key === orderId);
const timeline = async (orderId: string) => (await call('GET', `/api/orders/${orderId}/events`)).body.events as any[];

before(async () => {
  db = await TestDatabase.create();
  api = await startTestApp({ DATABASE_URL: db.url, ROLES: 'api,worker', KAFKA_BROKERS: kafkaBrokers.join(',') });
  orders = await TopicReader.start('orders');
  deadLetters = await TopicReader.start('orders.DLT');
});

after(async () => {
  await orders?.stop();
  await deadLetters?.stop();
  await api?.close();
  await db?.drop();
});

describe('publishing order events to Kafka', () => {
  it('publishes exactly one ORDER_PLACED with the order id as key, CloudEvents headers and the order as value', async () => {
    const placed = await call('POST', '/api/orders', {
      body: orderDraft(),
      headers: { 'x-request-id': 'req-placed-1' },
    });
    const id = placed.body.id;
    await orders.waitFor(() => eventsOf(id).length >= 1);
    await new Promise((r) => setTimeout(r, 500)); // a second copy would have arrived by now
    const [event, ...others] = eventsOf(id);
    assert.equal(others.length, 0);
    assert.equal(event.key, id);
    assert.equal(event.headers.ce_specversion, '1.0');
    assert.equal(event.headers.ce_type, 'ORDER_PLACED');
    assert.equal(event.headers.ce_source, '/orders');
    assert.equal(event.headers.ce_subject, id);
    assert.equal(event.headers.ce_schemaversion, '1');
    assert.equal(event.headers.ce_dataschema, 'https://orders.example/schemas/events/ORDER_PLACED.schema.json');
    assert.equal(event.headers.ce_correlationid, 'req-placed-1');
    assert.match(event.headers.ce_id, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(event.headers.ce_time)));
    const value = JSON.parse(event.value!);
    // Authentication is off in this suite: the anonymous caller acts as admin.
    const actor = { subject: 'anonymous', role: 'admin' };
    assert.deepEqual(value, { orderId: id, previousStatus: null, order: placed.body, actor });
    assert.ok(validators.ORDER_PLACED(value), JSON.stringify(validators.ORDER_PLACED.errors));
  });

  it('publishes a whole lifecycle in order on one partition, every event valid against its schema', async () => {
    const order = (await call('POST', '/api/orders', { body: orderDraft() })).body;
    const revised = {
      lines: [{ sku: 'B', name: 'B', quantity: 1, unitPrice: 5 }],
      shippingAddress: order.shippingAddress,
    };
    assert.equal((await call('PUT', `/api/orders/${order.id}`, { body: revised })).status, 200);
    for (const step of ['confirm', 'ship', 'deliver'])
      assert.equal((await call('POST', `/api/orders/${order.id}/${step}`)).status, 200);

    await orders.waitFor(() => eventsOf(order.id).length >= 5);
    const events = eventsOf(order.id);
    const types = ['ORDER_PLACED', 'ORDER_UPDATED', 'ORDER_CONFIRMED', 'ORDER_SHIPPED', 'ORDER_DELIVERED'];
    assert.deepEqual(
      events.map((e) => e.headers.ce_type),
      types,
    );
    assert.equal(new Set(events.map((e) => e.partition)).size, 1);
    for (const event of events) {
      const validate = validators[event.headers.ce_type as keyof typeof validators];
      assert.ok(validate(JSON.parse(event.value!)), `${event.headers.ce_type}: ${JSON.stringify(validate.errors)}`);
    }
    assert.deepEqual(
      events.map((e) => JSON.parse(e.value!).previousStatus),
      [null, 'PLACED', 'PLACED', 'CONFIRMED', 'SHIPPED'],
    );

    await eventually(async () => (await timeline(order.id)).length === 5, 30_000, 'the timeline');
    const entries = await timeline(order.id);
    assert.deepEqual(
      entries.map((e) => e.type),
      types,
    );
    assert.deepEqual(
      entries.map((e) => e.eventId),
      events.map((e) => e.headers.ce_id),
    );
  });

  it('publishes a cancellation with its reason', async () => {
    const order = (await call('POST', '/api/orders', { body: orderDraft() })).body;
    await call('DELETE', `/api/orders/${order.id}?reason=duplicate`);
    await orders.waitFor(() => eventsOf(order.id).length >= 2);
    const cancelled = JSON.parse(eventsOf(order.id)[1].value!);
    assert.equal(cancelled.order.cancellationReason, 'duplicate');
    assert.ok(validators.ORDER_CANCELLED(cancelled));
  });
});

describe('consuming order events', () => {
  async function placeAndWait(): Promise<{ id: string; event: ReadRecord }> {
    const { id } = (await call('POST', '/api/orders', { body: orderDraft() })).body;
    await orders.waitFor(() => eventsOf(id).length >= 1);
    await eventually(async () => (await timeline(id)).length === 1, 30_000, 'the timeline');
    return { id, event: eventsOf(id)[0] };
  }

  it('changes the timeline once when the same event is delivered twice', async () => {
    const { id, event } = await placeAndWait();
    const [sent] = await produce('orders', [{ key: event.key, value: event.value, headers: event.headers }]);
    await waitForCommit(ORDERS_WORKER_GROUP, 'orders', sent.partition, sent.baseOffset!);
    const entries = await timeline(id);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].eventId, event.headers.ce_id);
  });

  it('sends poison records to orders.DLT with the reason and origin, and keeps consuming valid events', async () => {
    const { event } = await placeAndWait();
    const marker = randomUUID();
    const valid = JSON.parse(event.value!);
    const poison = [
      { key: marker, value: 'not json {', headers: { ...event.headers, ce_id: randomUUID() } },
      {
        key: marker,
        value: event.value,
        headers: { ...event.headers, ce_id: randomUUID(), ce_type: 'ORDER_TELEPORTED' },
      },
      {
        key: marker,
        value: JSON.stringify({ ...valid, order: { ...valid.order, totalAmount: 'lots' } }),
        headers: { ...event.headers, ce_id: randomUUID() },
      },
    ];
    const [sent] = await produce('orders', poison);

    const dead = await deadLetters.waitFor((records) => records.filter((r) => r.key === marker).length === 3);
    // In the order they were consumed: a dead letter whose first write failed is written again later.
    const mine = dead
      .filter((r) => r.key === marker)
      .sort((x, y) => Number(BigInt(x.headers.dlt_original_offset) - BigInt(y.headers.dlt_original_offset)));
    assert.deepEqual(
      mine.map((r) => r.headers.dlt_reason),
      ['invalid-json', 'unknown-type', 'schema-violation'],
    );
    for (const [i, record] of mine.entries()) {
      assert.equal(record.headers.dlt_original_topic, 'orders');
      assert.equal(record.headers.dlt_original_partition, String(sent.partition));
      assert.equal(record.headers.dlt_original_offset, String(BigInt(sent.baseOffset!) + BigInt(i)));
      assert.equal(record.headers.dlt_consumer_group, ORDERS_WORKER_GROUP);
      assert.ok(record.headers.dlt_error);
      assert.equal(record.value, poison[i].value);
      assert.equal(record.headers.ce_id, poison[i].headers.ce_id);
    }
    await placeAndWait(); // valid events still flow
  });

  it('dead-letters records with null, binary or huge values and missing or garbage headers, raw, and moves on', async () => {
    const { event } = await placeAndWait();
    const marker = randomUUID();
    const headers = () => ({ ...event.headers, ce_id: randomUUID() });
    const binary = Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x7b]);
    const huge = Buffer.alloc(900_000, 'x');
    const poison = [
      { key: marker, value: null, headers: headers() },
      { key: marker, value: binary, headers: headers() },
      { key: marker, value: huge, headers: headers() },
      { key: marker, value: event.value },
      { key: marker, value: event.value, headers: { ce_type: '{"a":1}', ce_id: '[1,2', junk: Buffer.from([0, 1, 2]) } },
    ];
    const [sent] = await produce('orders', poison);
    const jsonKey = '{"looks":"like json"}';
    const [sentJsonKey] = await produce('orders', [{ key: jsonKey, value: null, headers: headers() }]);

    const dead = await deadLetters.waitFor((records) => records.filter((r) => r.key === marker).length === 5);
    const mine = dead.filter((r) => r.key === marker);
    assert.deepEqual(
      mine.map((r) => r.headers.dlt_reason),
      ['invalid-json', 'invalid-json', 'invalid-json', 'unknown-type', 'unknown-type'],
    );
    assert.equal(mine[0].bytes, null);
    assert.deepEqual(mine[1].bytes, binary);
    assert.deepEqual(mine[2].bytes, huge);
    assert.equal(mine[3].value, event.value);
    assert.equal(mine[4].headers.ce_type, '{"a":1}');
    for (const [i, record] of mine.entries()) {
      assert.equal(record.headers.dlt_original_offset, String(BigInt(sent.baseOffset!) + BigInt(i)));
    }
    await deadLetters.waitFor((records) => records.some((r) => r.key === jsonKey && r.bytes === null));
    await waitForCommit(ORDERS_WORKER_GROUP, 'orders', sent.partition, String(BigInt(sent.baseOffset!) + 4n));
    await waitForCommit(ORDERS_WORKER_GROUP, 'orders', sentJsonKey.partition, sentJsonKey.baseOffset!);
    await placeAndWait(); // valid events still flow
    const ready = await call('GET', '/health/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.details.consumer.status, 'up');
  });

  it('dead-letters events about orders that do not exist or whose attributes contradict them, unrecorded', async () => {
    const { event } = await placeAndWait();
    const valid = JSON.parse(event.value!);
    const stranger = randomUUID();
    const forged = { ...valid, orderId: stranger, order: { ...valid.order, id: stranger } };
    const poison = [
      {
        key: stranger,
        value: JSON.stringify(forged),
        headers: { ...event.headers, ce_id: randomUUID(), ce_subject: stranger },
      },
      {
        key: event.key,
        value: event.value,
        headers: { ...event.headers, ce_id: randomUUID(), ce_time: '+099999-01-01T00:00:00Z' },
      },
      { key: stranger, value: event.value, headers: { ...event.headers, ce_id: randomUUID() } },
      {
        key: event.key,
        value: event.value,
        headers: {
          ...event.headers,
          ce_id: randomUUID(),
          ce_dataschema: 'https://orders.example/schemas/events/ORDER_SHIPPED.schema.json',
        },
      },
    ];
    await produce('orders', poison);
    const ids = poison.map((record) => record.headers.ce_id);
    const dead = await deadLetters.waitFor((records) => ids.every((id) => records.some((r) => r.headers.ce_id === id)));
    assert.deepEqual(
      ids.map((id) => dead.find((r) => r.headers.ce_id === id)!.headers.dlt_reason),
      ['unknown-subject', 'schema-violation', 'schema-violation', 'schema-violation'],
    );
    const recorded = await db.query('SELECT 1 FROM order_timeline WHERE event_id = ANY($1::uuid[]) OR order_id = $2', [
      ids,
      stranger,
    ]);
    assert.equal(recorded.length, 0);
  });

  it('holds back only the order whose event keeps failing, then applies its events in order', async () => {
    // Orders on the held order's partition show whether more than its own events are held back.
    const place = async () => {
      const { id } = (await call('POST', '/api/orders', { body: orderDraft() })).body as { id: string };
      await orders.waitFor(() => eventsOf(id).length >= 1);
      return { id, partition: eventsOf(id)[0].partition };
    };
    await db.query(`
      CREATE FUNCTION refuse_held_order() RETURNS trigger AS $$
      BEGIN
        IF NEW.order_id IN (SELECT order_id FROM held_orders) THEN
          RAISE EXCEPTION 'order is held' USING ERRCODE = '55P03';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TABLE held_orders (order_id uuid PRIMARY KEY);
      CREATE TRIGGER refuse_held BEFORE INSERT ON order_timeline FOR EACH ROW EXECUTE FUNCTION refuse_held_order();`);
    try {
      const held = await place();
      await eventually(async () => (await timeline(held.id)).length === 1, 30_000, 'the first event');
      await db.query('INSERT INTO held_orders VALUES ($1)', [held.id]);
      await call('POST', `/api/orders/${held.id}/confirm`);
      await call('POST', `/api/orders/${held.id}/ship`);
      const neighbours: string[] = [];
      while (neighbours.length < 3) {
        const other = await place();
        if (other.partition === held.partition) neighbours.push(other.id);
      }
      for (const id of neighbours)
        await eventually(async () => (await timeline(id)).length === 1, 10_000, 'a neighbour');
      assert.equal((await timeline(held.id)).length, 1, 'the held order waits');
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // longer than a bounded retry would wait

      await db.query('DELETE FROM held_orders');
      await eventually(async () => (await timeline(held.id)).length === 3, 30_000, 'the held events');
      assert.deepEqual(
        (await timeline(held.id)).map((entry) => entry.type),
        ['ORDER_PLACED', 'ORDER_CONFIRMED', 'ORDER_SHIPPED'],
      );
      assert.equal(deadLetters.records.filter((r) => r.key === held.id).length, 0);
    } finally {
      await db.query(
        'DROP TRIGGER refuse_held ON order_timeline; DROP FUNCTION refuse_held_order(); DROP TABLE held_orders',
      );
    }
  });

  it('retries a transient failure and then processes the event', async () => {
    const retried = async () => {
      const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
      return Number(/^order_events_consumed_total\{result="retried"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
    };
    const retriedBefore = await retried();
    await db.query('ALTER TABLE order_timeline RENAME TO order_timeline_away');
    const { id } = (await call('POST', '/api/orders', { body: orderDraft() })).body;
    // The first attempt fails; the table comes back before the retries run out.
    await eventually(async () => (await retried()) > retriedBefore, 10_000, 'a failed attempt');
    await db.query('ALTER TABLE order_timeline_away RENAME TO order_timeline');
    await eventually(async () => (await timeline(id)).length === 1, 30_000, 'the retried event');
    assert.equal(deadLetters.records.filter((r) => r.key === id).length, 0);
  });
});

describe('Kafka outage', () => {
  it('accepts orders while the broker is down, is unready meanwhile, and delivers every event once it is back', async () => {
    const kafkaCheck = async () => {
      const res = await call('GET', '/health/ready');
      return { status: res.status, kafka: (res.body.checks ?? res.body).details?.kafka };
    };
    assert.equal((await kafkaCheck()).status, 200, 'ready before the outage');
    await broker('stop');
    const ids: string[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const res = await call('POST', '/api/orders', { body: orderDraft({ notes: `during outage ${i}` }) });
        assert.equal(res.status, 201);
        ids.push(res.body.id);
      }
      // The admin connection kept between probes notices the outage...
      const unready = await kafkaCheck();
      assert.equal(unready.status, 503);
      assert.equal(unready.kafka?.status, 'down', JSON.stringify(unready));
    } finally {
      await broker('start');
    }
    // ...and is replaced once the broker is back, without a restart.
    await eventually(async () => (await kafkaCheck()).status === 200, 60_000, 'ready again after the outage');
    // Generous: when a broker hangs in its shutdown, kafka.sh kills it after 30 s, and every client
    // then waits out its request timeouts.
    await orders.waitFor(() => ids.every((id) => eventsOf(id).length >= 1), 90_000);
    const [{ pending }] = await db.query<{ pending: string }>(
      'SELECT count(*) AS pending FROM outbox WHERE published_at IS NULL',
    );
    assert.equal(pending, '0');
  });
});

describe('the event contract', () => {
  it('holds for every event the service published: headers and value match the schema named by ce_dataschema', async (t) => {
    const { checked, published } = await assertPublishedEventsKeepContract(db, orders);
    t.diagnostic(`${checked} records of ${published} published events validated against their schemas`);
  });
});
