import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppProcess } from '../support/app-process';
import { freePort } from '../support/free-port';
import { orderDraft, request } from '../support/http';
import { onOneConnection, rawExchange, sendBodyAfterAnswer, uploadWithoutEnd } from '../support/raw-http';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

let db: TestDatabase;
let api: TestApp;
const call = (method: string, path: string, options?: Parameters<typeof request>[3]) =>
  request(api.baseUrl, method, path, options);
const place = async (overrides: Record<string, unknown> = {}) =>
  (await call('POST', '/api/orders', { body: orderDraft(overrides) })).body;

before(async () => {
  db = await TestDatabase.create();
  api = await startTestApp({ DATABASE_URL: db.url });
});

after(async () => {
  await api?.close();
  await db?.drop();
});

function assertProblem(res: { status: number; headers: Headers; body: any }, status: number, detail?: RegExp) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.status, status);
  assert.ok(res.body.title && res.body.type && res.body.detail, 'problem has type, title and detail');
  assert.ok(!JSON.stringify(res.body).includes('    at '), 'no stack trace');
  if (detail) assert.match(res.body.detail, detail);
}

/** The fields a validation problem names, each once (one field can break several rules). */
const fieldsOf = (res: { body: any }) => [...new Set<string>((res.body.errors ?? []).map((e: any) => e.field))].sort();
const jsonBody = (rawBody: string) => ({ rawBody, headers: { 'content-type': 'application/json' } });

const mergePatch = (patch: unknown, headers: Record<string, string> = {}) => ({
  rawBody: JSON.stringify(patch),
  headers: { 'content-type': 'application/merge-patch+json', ...headers },
});

describe('placing orders', () => {
  it('answers 201 with Location, ETag and the order with server-computed totals', async () => {
    const res = await call('POST', '/api/orders', { body: orderDraft() });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('location'), `/api/orders/${res.body.id}`);
    assert.equal(res.headers.get('etag'), '"1"');
    assert.equal(res.body.status, 'PLACED');
    assert.equal(res.body.totalAmount, 2 * 4999 + 2500);
    assert.deepEqual(
      res.body.lines.map((l: any) => l.lineTotal),
      [9998, 2500],
    );

    const fetched = await call('GET', `/api/orders/${res.body.id}`);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.body, res.body);
  });

  it('records the ORDER_PLACED event in the outbox in the same transaction', async () => {
    const order = await place();
    const rows = await db.query<{ event_type: string; payload: any }>(
      'SELECT event_type, payload FROM outbox WHERE order_id = $1',
      [order.id],
    );
    assert.deepEqual(
      rows.map((r) => r.event_type),
      ['ORDER_PLACED'],
    );
    assert.equal(rows[0].payload.order.totalAmount, order.totalAmount);
  });

  it('commits orders placed at the same time together, each with its own event, request id and customer', async () => {
    const customers = Array.from({ length: 30 }, (_, i) => `together-${i}`);
    const responses = await Promise.all(
      customers.map((customerId) =>
        call('POST', '/api/orders', {
          body: orderDraft({ customerId }),
          headers: { 'x-request-id': `req-${customerId}` },
        }),
      ),
    );
    assert.deepEqual(
      responses.map((res) => res.status),
      customers.map(() => 201),
    );
    const events = await db.query<{ customer: string; correlation_id: string; tx: string }>(
      `SELECT o.customer_id AS customer, e.correlation_id, o.xmin::text AS tx
       FROM orders o JOIN outbox e ON e.order_id = o.id WHERE o.customer_id LIKE 'together-%'`,
    );
    assert.deepEqual(
      events.map((e) => `${e.customer} ${e.correlation_id}`).sort(),
      customers.map((c) => `${c} req-${c}`).sort(),
    );
    // Fewer commits than orders: orders placed together share a statement.
    assert.ok(new Set(events.map((e) => e.tx)).size < customers.length, 'placed in fewer transactions than orders');
  });

  it('fails only the order the database refuses when orders are placed at the same time', async () => {
    await db.query(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.customer_id = 'poison' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`);
    await db.query(
      'CREATE TRIGGER refuse_poison BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION refuse_poison()',
    );
    try {
      const customers = ['poison', ...Array.from({ length: 19 }, (_, i) => `beside-poison-${i}`)];
      const responses = await Promise.all(
        customers.map((customerId) => call('POST', '/api/orders', { body: orderDraft({ customerId }) })),
      );
      assertProblem(responses[0], 500);
      assert.deepEqual(
        responses.slice(1).map((res) => res.status),
        customers.slice(1).map(() => 201),
      );
      const [{ n }] = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM outbox WHERE payload->'order'->>'customerId' LIKE 'beside-poison-%'`,
      );
      assert.equal(Number(n), 19);
    } finally {
      await db.query('DROP TRIGGER refuse_poison ON orders');
    }
  });

  it('rejects invalid fields, listing each one', async () => {
    const res = await call('POST', '/api/orders', {
      body: orderDraft({ currency: 'EURO', lines: [{ sku: 'A', name: 'A', quantity: -1, unitPrice: 10 }] }),
    });
    assertProblem(res, 400);
    assert.deepEqual(res.body.errors.map((e: any) => e.field).sort(), ['currency', 'lines[0].quantity']);
  });

  it('rejects unknown fields', async () => {
    const res = await call('POST', '/api/orders', { body: orderDraft({ status: 'DELIVERED' }) });
    assertProblem(res, 400);
    assert.deepEqual(res.body.errors, [{ field: 'status', message: 'property status should not exist' }]);
  });

  it('refuses too many lines with one error, before looking into any of them', async () => {
    const lines = Array.from({ length: 5_000 }, () => ({ sku: '', quantity: 'many' }));
    const order = await place();
    const answers = [
      await call('POST', '/api/orders', { body: orderDraft({ lines }) }),
      await call('PUT', `/api/orders/${order.id}`, {
        headers: { 'if-match': '"1"' },
        body: { lines, shippingAddress: order.shippingAddress },
      }),
      await call('PATCH', `/api/orders/${order.id}`, mergePatch({ lines })),
    ];
    for (const res of answers) {
      assertProblem(res, 400);
      assert.deepEqual(res.body.errors, [{ field: 'lines', message: 'lines must contain no more than 100 elements' }]);
    }
    const bulk = await call('POST', '/api/orders/bulk', { body: { orders: [orderDraft(), orderDraft({ lines })] } });
    assertProblem(bulk, 400);
    assert.deepEqual(bulk.body.errors, [
      { field: 'orders[1].lines', message: 'orders[1].lines must contain no more than 100 elements' },
    ]);
  });

  it('answers a field or query parameter named like a catastrophic regular expression, and stays live', async () => {
    // A separate process, so a blocked event loop shows as unanswered requests instead of a hung test.
    const port = await freePort();
    const app = AppProcess.start({ DATABASE_URL: db.url, ROLES: 'api', PORT: String(port), LOG_LEVEL: 'warn' });
    try {
      await app.waitUntilLive(port);
      const base = `http://127.0.0.1:${port}`;
      const evilName = `${'a'.repeat(40)}(?=x)|(a+)+$`; // as a pattern it would backtrack for days
      const answered = (path: string, init: RequestInit = {}) =>
        fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
      const [body, query, live] = await Promise.all([
        answered('/api/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...orderDraft(), [evilName]: 1 }),
        }),
        answered(`/api/orders?${encodeURIComponent(evilName)}=1`),
        answered('/health/live'),
      ]);
      assert.equal(body.status, 400);
      assert.deepEqual(
        ((await body.json()) as any).errors.map((e: any) => e.field),
        [evilName],
      );
      assert.equal(query.status, 400);
      assert.equal(live.status, 200);
    } finally {
      await app.kill();
    }
  });

  it('answers malformed JSON with 400, a wrong content type with 415 and an oversized body with 413', async () => {
    assertProblem(
      await call('POST', '/api/orders', { rawBody: '{"customerId":', headers: { 'content-type': 'application/json' } }),
      400,
      /not valid JSON/,
    );
    assertProblem(
      await call('POST', '/api/orders', {
        rawBody: 'customerId=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
    );
    const huge = JSON.stringify({ ...orderDraft(), notes: 'x'.repeat(3 * 1024 * 1024) });
    assertProblem(
      await call('POST', '/api/orders', { rawBody: huge, headers: { 'content-type': 'application/json' } }),
      413,
    );
  });

  it('refuses a body too large or of another type before reading it, and stops reading', async () => {
    const port = Number(new URL(api.baseUrl).port);
    const uploads = [
      [413, 'Content-Type: application/json\r\nContent-Length: 100000000', false],
      [413, 'Content-Type: application/json\r\nTransfer-Encoding: chunked', true],
      [415, 'Content-Type: text/csv\r\nContent-Length: 100000000', false],
      [415, 'Content-Type: text/csv\r\nTransfer-Encoding: chunked', true],
    ] as const;
    // Each client sends for as long as the server reads: the uploads end only when the server hangs up.
    const results = await Promise.all(
      uploads.map(([, headers, chunked]) =>
        uploadWithoutEnd(port, `POST /api/orders HTTP/1.1\r\nHost: x\r\n${headers}\r\n\r\n`, chunked),
      ),
    );
    for (const [i, { answer, sentBeforeAnswer }] of results.entries()) {
      const [status, headers] = uploads[i];
      assert.match(answer, new RegExp(`^HTTP/1\\.1 ${status} `), headers);
      assert.match(answer, /\r\nconnection: close\r\n/i, headers);
      assert.match(answer, /application\/problem\+json/, headers);
      // Answered long before the 100 MB were sent (what was sent fills the two ends' socket buffers).
      assert.ok(sentBeforeAnswer < 25_000_000, `${headers}: answered after ${sentBeforeAnswer} bytes`);
    }
  });

  it('answers an oversized body with the whole 413 when the client sends it all at once, not a reset', async () => {
    const port = Number(new URL(api.baseUrl).port);
    const huge = JSON.stringify({ ...orderDraft(), notes: 'x'.repeat(3 * 1024 * 1024) });
    const res = await rawExchange(
      port,
      `POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(huge)}\r\n\r\n${huge}`,
    );
    assert.match(res.statusLine, /^HTTP\/1\.1 413 /);
    assert.match(res.headers['content-type'], /^application\/problem\+json/);
    assert.match(JSON.parse(res.body).detail, /larger than the limit of 2097152 bytes/);
  });

  it('reads a body that starts with a byte order mark, with or without numbers to check closely', async () => {
    const bom = (body: unknown) => jsonBody(`\uFEFF${JSON.stringify(body)}`);
    assert.equal((await call('POST', '/api/orders', bom(orderDraft()))).status, 201);
    const fraction = orderDraft({ lines: [{ sku: 'A', name: 'A', quantity: 1, unitPrice: 10.5 }] });
    assertProblem(await call('POST', '/api/orders', bom(fraction)), 400);
  });

  it('refuses amounts that cannot be represented exactly', async () => {
    const res = await call('POST', '/api/orders', {
      body: orderDraft({ lines: [{ sku: 'A', name: 'A', quantity: 10_000, unitPrice: 1_000_000_000_000 }] }),
    });
    assertProblem(res, 422);
  });
});

describe('idempotency keys', () => {
  it('returns the original response for the same key and body, without a second order', async () => {
    const headers = { 'idempotency-key': `key-${Date.now()}` };
    const body = orderDraft({ customerId: 'idem-customer' });
    const first = await call('POST', '/api/orders', { body, headers });
    const again = await call('POST', '/api/orders', { body: { ...body, currency: 'EUR' }, headers });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get('location'), first.headers.get('location'));
    const count = await db.query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE customer_id = 'idem-customer'`);
    assert.equal(count[0].n, '1');
  });

  it('answers 422 when a key is reused with a different body', async () => {
    const headers = { 'idempotency-key': `key-diff-${Date.now()}` };
    await call('POST', '/api/orders', { body: orderDraft(), headers });
    assertProblem(
      await call('POST', '/api/orders', { body: orderDraft({ notes: 'changed' }), headers }),
      422,
      /different request body/,
    );
  });

  it('creates one order when the same key arrives concurrently', async () => {
    const headers = { 'idempotency-key': `key-race-${Date.now()}` };
    const body = orderDraft({ customerId: 'race-customer' });
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => call('POST', '/api/orders', { body, headers })),
    );
    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([201]));
    assert.equal(new Set(responses.map((r) => r.body.id)).size, 1);
    const count = await db.query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE customer_id = 'race-customer'`);
    assert.equal(count[0].n, '1');
  });

  it('forgets keys after they expire', async () => {
    const key = `key-expire-${Date.now()}`;
    const first = await call('POST', '/api/orders', { body: orderDraft(), headers: { 'idempotency-key': key } });
    await db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    const second = await call('POST', '/api/orders', {
      body: orderDraft({ notes: 'new' }),
      headers: { 'idempotency-key': key },
    });
    assert.equal(second.status, 201);
    assert.notEqual(second.body.id, first.body.id);
  });
});

describe('bulk placement', () => {
  it('places many orders in one request', async () => {
    const orders = Array.from({ length: 250 }, (_, i) => orderDraft({ customerId: 'bulk-customer', notes: `n${i}` }));
    const res = await call('POST', '/api/orders/bulk', { body: { orders } });
    assert.equal(res.status, 201);
    assert.equal(res.body.orders.length, 250);
    const [{ n }] = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM orders WHERE customer_id = 'bulk-customer'`,
    );
    assert.equal(n, '250');
    const [{ events }] = await db.query<{ events: string }>(
      `SELECT count(*) AS events FROM outbox o JOIN orders ord ON ord.id = o.order_id WHERE ord.customer_id = 'bulk-customer'`,
    );
    assert.equal(events, '250');
  });

  it('is all or nothing: one bad order rejects the batch', async () => {
    const orders = [orderDraft({ customerId: 'bulk-bad' }), orderDraft({ customerId: 'bulk-bad', currency: 'NOPE' })];
    const res = await call('POST', '/api/orders/bulk', { body: { orders } });
    assertProblem(res, 400);
    assert.equal(res.body.errors[0].field, 'orders[1].currency');
    const [{ n }] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM orders WHERE customer_id = 'bulk-bad'`);
    assert.equal(n, '0');
  });

  it('takes at most 1,000 orders', async () => {
    const orders = Array.from({ length: 1001 }, () => orderDraft());
    assertProblem(
      await call('POST', '/api/orders/bulk', { body: { orders } }),
      400,
      /orders must contain no more than 1000/,
    );
  });
});

describe('listing orders', () => {
  it('pages newest first with a cursor until the last page', async () => {
    const customerId = `pager-${Date.now()}`;
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await place({ customerId })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `customerId=${customerId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await call('GET', `/api/orders?${query}`);
      assert.equal(res.status, 200);
      seen.push(...res.body.items.map((o: any) => o.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    assert.deepEqual(seen, created.reverse());
    assert.equal(pages, 3);
  });

  it('filters by status and created-at range', async () => {
    const customerId = `filter-${Date.now()}`;
    const a = await place({ customerId });
    const b = await place({ customerId });
    await call('POST', `/api/orders/${b.id}/confirm`);
    const confirmed = await call('GET', `/api/orders?customerId=${customerId}&status=CONFIRMED`);
    assert.deepEqual(
      confirmed.body.items.map((o: any) => o.id),
      [b.id],
    );
    const from = encodeURIComponent(a.createdAt);
    const to = encodeURIComponent(b.createdAt);
    const range = await call('GET', `/api/orders?customerId=${customerId}&createdFrom=${from}&createdTo=${to}`);
    assert.deepEqual(
      range.body.items.map((o: any) => o.id),
      [a.id],
    );
  });

  it('rejects a bad cursor, a bad status and a limit over 100', async () => {
    assertProblem(await call('GET', '/api/orders?cursor=not-a-cursor'), 400);
    assertProblem(await call('GET', '/api/orders?status=LOST'), 400);
    assertProblem(await call('GET', '/api/orders?limit=101'), 400);
  });
});

describe('changing orders', () => {
  it('replaces lines, address and notes of a PLACED order and bumps the ETag', async () => {
    const order = await place();
    const res = await call('PUT', `/api/orders/${order.id}`, {
      headers: { 'if-match': '"1"' },
      body: {
        lines: [{ sku: 'NEW', name: 'New', quantity: 3, unitPrice: 100 }],
        shippingAddress: order.shippingAddress,
        notes: 'gift',
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('etag'), '"2"');
    assert.equal(res.body.totalAmount, 300);
    assert.equal(res.body.notes, 'gift');
    assert.equal((await call('GET', `/api/orders/${order.id}`)).body.lines[0].sku, 'NEW');
  });

  it('answers a stale If-Match with 412 and changes nothing', async () => {
    const order = await place();
    await call('POST', `/api/orders/${order.id}/confirm`);
    const res = await call('POST', `/api/orders/${order.id}/ship`, { headers: { 'if-match': '"1"' } });
    assertProblem(res, 412);
    assert.equal((await call('GET', `/api/orders/${order.id}`)).body.status, 'CONFIRMED');
  });

  it('answers If-Match with a list of ETags as RFC 9110 says: any strong match wins, weak tags never match', async () => {
    const order = await place();
    await call('POST', `/api/orders/${order.id}/confirm`);

    const weakOnly = await call('POST', `/api/orders/${order.id}/ship`, { headers: { 'if-match': 'W/"2", W/"1"' } });
    assertProblem(weakOnly, 412);
    assert.equal(weakOnly.body.currentVersion, 2);
    const stale = await call('POST', `/api/orders/${order.id}/ship`, { headers: { 'if-match': '"1", "7"' } });
    assertProblem(stale, 412, /version 1 or 7 .* version 2/);
    assert.equal(stale.body.currentVersion, 2);
    assert.equal((await call('GET', `/api/orders/${order.id}`)).body.status, 'CONFIRMED');

    const shipped = await call('POST', `/api/orders/${order.id}/ship`, { headers: { 'if-match': '"1", W/"3", "2"' } });
    assert.equal(shipped.status, 200);
    assert.equal(shipped.headers.get('etag'), '"3"');
    const delivered = await call('POST', `/api/orders/${order.id}/deliver`, { headers: { 'if-match': '*' } });
    assert.equal(delivered.status, 200);
    assert.equal(delivered.body.status, 'DELIVERED');
  });

  it('answers an If-Match that is not a list of ETags with 412', async () => {
    const order = await place();
    assertProblem(await call('POST', `/api/orders/${order.id}/confirm`, { headers: { 'if-match': '2' } }), 412);
    assertProblem(await call('POST', `/api/orders/${order.id}/confirm`, { headers: { 'if-match': '"1" "2"' } }), 412);
    assert.equal((await call('GET', `/api/orders/${order.id}`)).body.version, 1);
  });

  it('lets exactly one of many concurrent writers with the same If-Match win', async () => {
    const order = await place();
    const body = {
      lines: [{ sku: 'X', name: 'X', quantity: 1, unitPrice: 1 }],
      shippingAddress: order.shippingAddress,
    };
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call('PUT', `/api/orders/${order.id}`, {
          headers: { 'if-match': '"1"' },
          body: { ...body, notes: `writer ${i}` },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, ...Array(9).fill(412)]);
    const final = (await call('GET', `/api/orders/${order.id}`)).body;
    assert.equal(final.version, 2);
    assert.equal(final.notes, responses.find((r) => r.status === 200)!.body.notes);
  });

  it('refuses to edit an order once confirmed', async () => {
    const order = await place();
    await call('POST', `/api/orders/${order.id}/confirm`);
    const res = await call('PUT', `/api/orders/${order.id}`, {
      body: { lines: order.lines.map(({ lineTotal: _, ...l }: any) => l), shippingAddress: order.shippingAddress },
    });
    assertProblem(res, 409);
    assert.equal(res.body.currentStatus, 'CONFIRMED');
  });

  it('drives the whole lifecycle and stamps every step, with one event per change', async () => {
    const order = await place();
    for (const [action, status, stamp] of [
      ['confirm', 'CONFIRMED', 'confirmedAt'],
      ['ship', 'SHIPPED', 'shippedAt'],
      ['deliver', 'DELIVERED', 'deliveredAt'],
    ]) {
      const res = await call('POST', `/api/orders/${order.id}/${action}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.status, status);
      assert.ok(res.body[stamp]);
    }
    const events = await db.query<{ event_type: string }>(
      'SELECT event_type FROM outbox WHERE order_id = $1 ORDER BY id',
      [order.id],
    );
    assert.deepEqual(
      events.map((e) => e.event_type),
      ['ORDER_PLACED', 'ORDER_CONFIRMED', 'ORDER_SHIPPED', 'ORDER_DELIVERED'],
    );
  });

  it('names both statuses when a transition is illegal', async () => {
    const order = await place();
    const res = await call('POST', `/api/orders/${order.id}/deliver`);
    assertProblem(res, 409, /PLACED.*DELIVERED/);
    assert.equal(res.body.currentStatus, 'PLACED');
    assert.equal(res.body.requestedStatus, 'DELIVERED');
  });
});

describe('PUT replaces, PATCH merges', () => {
  it('PUT names each missing required field once, and clears notes it leaves out', async () => {
    const order = await place({ notes: 'ring twice' });
    const partial = await call('PUT', `/api/orders/${order.id}`, { body: { notes: 'x' } });
    assertProblem(partial, 400);
    assert.deepEqual(partial.body.errors, [
      { field: 'lines', message: 'lines is required' },
      { field: 'shippingAddress', message: 'shippingAddress is required' },
    ]);

    const { lines, shippingAddress } = orderDraft();
    const replaced = await call('PUT', `/api/orders/${order.id}`, { body: { lines, shippingAddress } });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.notes, null);
  });

  it('PATCH changes only the fields it names; null removes an optional one', async () => {
    const order = await place({ notes: 'ring twice' });
    const res = await call(
      'PATCH',
      `/api/orders/${order.id}`,
      mergePatch({ shippingAddress: { line2: 'Flat 3' }, notes: null }, { 'if-match': '"1"' }),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers.get('etag'), '"2"');
    assert.deepEqual(res.body.shippingAddress, { ...order.shippingAddress, line2: 'Flat 3' });
    assert.equal(res.body.notes, null);
    assert.deepEqual(res.body.lines, order.lines);
    assert.equal(res.body.totalAmount, order.totalAmount);

    const lines = await call(
      'PATCH',
      `/api/orders/${order.id}`,
      mergePatch({ lines: [{ sku: 'NEW', name: 'New', quantity: 3, unitPrice: 100 }] }),
    );
    assert.equal(lines.status, 200);
    assert.equal(lines.body.totalAmount, 300);
    assert.deepEqual((await call('GET', `/api/orders/${order.id}`)).body, lines.body);

    const [updated] = await db.query<{ payload: any }>(
      `SELECT payload FROM outbox WHERE order_id = $1 AND event_type = 'ORDER_UPDATED' ORDER BY event_id LIMIT 1`,
      [order.id],
    );
    assert.equal(updated.payload.order.shippingAddress.line2, 'Flat 3');
  });

  it('PATCH rejects a result that would not be a valid order, naming the field', async () => {
    const order = await place();
    const cases: [unknown, string, RegExp][] = [
      [{ shippingAddress: null }, 'shippingAddress', /shippingAddress is required/],
      [{ shippingAddress: { city: null } }, 'shippingAddress.city', /shippingAddress\.city is required/],
      [{ lines: [] }, 'lines', /at least 1/],
      [{ customerId: 'someone-else' }, 'customerId', /should not exist/],
      [['not', 'an', 'object'], '(body)', /JSON object/],
    ];
    for (const [patch, field, message] of cases) {
      const res = await call('PATCH', `/api/orders/${order.id}`, mergePatch(patch));
      assertProblem(res, 400);
      assert.ok(
        res.body.errors.some((e: any) => e.field === field && message.test(e.message)),
        `${JSON.stringify(patch)}: ${JSON.stringify(res.body.errors)}`,
      );
    }
    assert.equal((await call('GET', `/api/orders/${order.id}`)).body.version, 1);
  });

  it('PATCH takes application/merge-patch+json only, honours If-Match and only edits PLACED orders', async () => {
    const order = await place();
    const plainJson = await call('PATCH', `/api/orders/${order.id}`, { body: { notes: 'x' } });
    assertProblem(plainJson, 415);
    assert.equal(plainJson.headers.get('accept-patch'), 'application/merge-patch+json');

    const stale = await call('PATCH', `/api/orders/${order.id}`, mergePatch({ notes: 'x' }, { 'if-match': '"7"' }));
    assertProblem(stale, 412);
    assert.equal(stale.body.currentVersion, 1);

    await call('POST', `/api/orders/${order.id}/confirm`);
    const confirmed = await call('PATCH', `/api/orders/${order.id}`, mergePatch({ notes: 'x' }));
    assertProblem(confirmed, 409);
    assert.equal(confirmed.body.currentStatus, 'CONFIRMED');

    assertProblem(await call('PATCH', `/api/orders/${crypto.randomUUID()}`, mergePatch({ notes: 'x' })), 404);
  });
});

describe('cancelling orders', () => {
  it('cancels with a reason, and cancelling again changes nothing', async () => {
    const order = await place();
    const first = await call('DELETE', `/api/orders/${order.id}?reason=${encodeURIComponent('changed my mind')}`);
    assert.equal(first.status, 200);
    assert.equal(first.body.status, 'CANCELLED');
    assert.equal(first.body.cancellationReason, 'changed my mind');
    const again = await call('DELETE', `/api/orders/${order.id}`);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    const events = await db.query('SELECT 1 FROM outbox WHERE order_id = $1 AND event_type = $2', [
      order.id,
      'ORDER_CANCELLED',
    ]);
    assert.equal(events.length, 1);
  });

  it('refuses to cancel a shipped order', async () => {
    const order = await place();
    await call('POST', `/api/orders/${order.id}/confirm`);
    await call('POST', `/api/orders/${order.id}/ship`);
    const res = await call('DELETE', `/api/orders/${order.id}`);
    assertProblem(res, 409);
    assert.equal(res.body.currentStatus, 'SHIPPED');
    assert.equal(res.body.requestedStatus, 'CANCELLED');
  });
});

describe('client mistakes are 400s, never 500s or broken events', () => {
  const anId = '019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80';
  const cursorOf = (createdAt: string, id: string) =>
    Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

  it('rejects NUL and unpaired surrogates in body strings and keys, the customerId filter and the cancel reason', async () => {
    const address = orderDraft().shippingAddress;
    const strings = await call('POST', '/api/orders', {
      body: orderDraft({ notes: 'a\u0000b', shippingAddress: { ...address, line2: 'x\ud800' } }),
    });
    assertProblem(strings, 400);
    assert.deepEqual(fieldsOf(strings), ['notes', 'shippingAddress.line2']);
    const key = await call('POST', '/api/orders', { body: { ...orderDraft(), 'a\udc00': 'x' } });
    assertProblem(key, 400);
    assert.deepEqual(fieldsOf(key), ['a\udc00']);

    const list = await call('GET', '/api/orders?customerId=a%00b');
    assertProblem(list, 400);
    assert.deepEqual(fieldsOf(list), ['customerId']);
    const order = await place();
    const cancel = await call('DELETE', `/api/orders/${order.id}?reason=a%00b`);
    assertProblem(cancel, 400);
    assert.deepEqual(fieldsOf(cancel), ['reason']);
    assert.equal((await call('GET', `/api/orders/${order.id}`)).body.status, 'PLACED');
  });

  it('rejects created-at filters and cursors outside the years 1 to 9999', async () => {
    for (const instant of ['-271821-04-20T00:00:00Z', '0000-12-31T23:59:59Z', '+010000-01-01T00:00:00Z']) {
      for (const param of ['createdFrom', 'createdTo']) {
        const res = await call('GET', `/api/orders?${param}=${encodeURIComponent(instant)}`);
        assertProblem(res, 400);
        assert.deepEqual(fieldsOf(res), [param]);
      }
      assertProblem(await call('GET', `/api/orders?cursor=${cursorOf(instant, anId)}`), 400, /cursor/);
    }
    const edges = await call('GET', '/api/orders?createdFrom=0001-01-01T00:00:00Z&createdTo=9999-12-31T23:59:59.999Z');
    assert.equal(edges.status, 200);
  });

  it('rejects a cursor whose id is not a UUID', async () => {
    for (const id of ['-'.repeat(36), '0'.repeat(36), `${anId.slice(0, 35)}g`]) {
      assertProblem(await call('GET', `/api/orders?cursor=${cursorOf('2026-01-01T00:00:00.000Z', id)}`), 400, /cursor/);
    }
  });

  it('rejects a body nested deeper than 32 levels before looking into it', async () => {
    const nested = (levels: number) =>
      JSON.stringify(orderDraft()).replace('{', `{"notes":${'['.repeat(levels)}${']'.repeat(levels)},`);
    assertProblem(await call('POST', '/api/orders', jsonBody(nested(500_000))), 400, /nested deeper than 32/);
    assertProblem(await call('POST', '/api/orders', jsonBody(nested(32))), 400, /nested deeper than 32/);
    const deepest = await call('POST', '/api/orders', jsonBody(nested(31))); // 32 levels with the order itself
    assertProblem(deepest, 400);
    assert.deepEqual(fieldsOf(deepest), ['notes']);
  });

  it('rejects an array where an object belongs and null for optional strings', async () => {
    const address = orderDraft().shippingAddress;
    const line = orderDraft().lines[0];
    const placed = await call('POST', '/api/orders', { body: orderDraft({ shippingAddress: [], notes: null }) });
    assertProblem(placed, 400);
    assert.deepEqual(fieldsOf(placed), ['notes', 'shippingAddress']);
    const nested = await call('POST', '/api/orders', {
      body: orderDraft({ lines: [[line]], shippingAddress: { ...address, line2: null, region: null } }),
    });
    assertProblem(nested, 400);
    assert.deepEqual(fieldsOf(nested), ['lines', 'shippingAddress.line2', 'shippingAddress.region']);
    const bulk = await call('POST', '/api/orders/bulk', { body: { orders: [[orderDraft()]] } });
    assertProblem(bulk, 400);
    assert.deepEqual(fieldsOf(bulk), ['orders']);
    const order = await place();
    const revised = await call('PUT', `/api/orders/${order.id}`, {
      body: { lines: [line], shippingAddress: [address], notes: null },
    });
    assertProblem(revised, 400);
    assert.deepEqual(fieldsOf(revised), ['notes', 'shippingAddress']);
  });

  it('rejects numbers that JSON would silently turn into another integer, and takes exact spellings', async () => {
    const withLine = (quantity: string, unitPrice: string) =>
      JSON.stringify(orderDraft({ lines: [{ sku: 'A', name: 'A', quantity: 111, unitPrice: 222 }] }))
        .replace('111', quantity)
        .replace('222', unitPrice);
    for (const inexact of ['2.9999999999999999', '1e-400', '9007199254740993', '1e400']) {
      const res = await call('POST', '/api/orders', jsonBody(withLine('1', inexact)));
      assertProblem(res, 400);
      assert.deepEqual(fieldsOf(res), ['lines[0].unitPrice'], inexact);
    }
    const quantity = await call('POST', '/api/orders', jsonBody(withLine('1.0000000000000001', '5')));
    assertProblem(quantity, 400);
    assert.deepEqual(fieldsOf(quantity), ['lines[0].quantity']);
    const exact = await call('POST', '/api/orders', jsonBody(withLine('2.0', '1e3')));
    assert.equal(exact.status, 201, JSON.stringify(exact.body));
    assert.equal(exact.body.totalAmount, 2000);
  });

  it('rejects keys named like Object.prototype members as unknown fields', async () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await call(
        'POST',
        '/api/orders',
        jsonBody(JSON.stringify(orderDraft()).replace('{', `{"${key}":{"polluted":true},`)),
      );
      assertProblem(res, 400);
      assert.deepEqual(res.body.errors, [{ field: key, message: `property ${key} should not exist` }]);
    }
    const nested = await call(
      'POST',
      '/api/orders',
      jsonBody(JSON.stringify(orderDraft()).replace('"recipient"', '"valueOf":1,"recipient"')),
    );
    assertProblem(nested, 400);
    assert.deepEqual(fieldsOf(nested), ['shippingAddress.valueOf']);
    const query = await call('GET', '/api/orders?constructor=1');
    assertProblem(query, 400);
    assert.deepEqual(fieldsOf(query), ['constructor']);
    assert.equal((Object.prototype as any).polluted, undefined);
  });

  it('names a repeated query parameter, instead of every rule its type would fail', async () => {
    const list = await call('GET', '/api/orders?limit=1&limit=2&status=PLACED');
    assertProblem(list, 400);
    assert.deepEqual(list.body.errors, [{ field: 'limit', message: 'limit must be given once' }]);
    const order = await place();
    const cancel = await call('DELETE', `/api/orders/${order.id}?reason=a&reason=b`);
    assertProblem(cancel, 400);
    assert.deepEqual(cancel.body.errors, [{ field: 'reason', message: 'reason must be given once' }]);
    assert.equal((await call('GET', `/api/orders/${order.id}`)).body.status, 'PLACED');
  });

  it('answers what the HTTP parser refuses with problem+json: 400 for a bad request line, 431 for oversized headers', async () => {
    const port = Number(new URL(api.baseUrl).port);
    const cases = [
      { status: 400, request: 'NOT HTTP AT ALL\r\n\r\n' },
      { status: 431, request: `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n` },
    ];
    for (const { status, request: raw } of cases) {
      const res = await rawExchange(port, raw);
      assert.match(res.statusLine, new RegExp(`^HTTP/1\\.1 ${status} `));
      assert.equal(res.headers['content-type'], 'application/problem+json');
      assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body));
      const body = JSON.parse(res.body);
      assert.equal(body.status, status);
      assert.ok(body.type && body.title && body.detail, 'problem has type, title and detail');
    }
  });

  it('answers what Node itself refuses with problem+json: no Host, an unknown Expect, CONNECT', async () => {
    const port = Number(new URL(api.baseUrl).port);
    const cases = [
      { status: 400, request: 'GET /health/live HTTP/1.1\r\nConnection: close\r\n\r\n', detail: /Host/ },
      { status: 417, request: 'GET /health/live HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\n\r\n', detail: /Expect/ },
      // Without an answer of its own, Node would close the connection without a word.
      { status: 405, request: 'CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n', detail: /proxy/ },
    ];
    for (const { status, request: raw, detail } of cases) {
      const res = await rawExchange(port, raw);
      assert.match(res.statusLine, new RegExp(`^HTTP/1\\.1 ${status} `));
      assert.equal(res.headers['content-type'], 'application/problem+json');
      const body = JSON.parse(res.body);
      assert.equal(body.status, status);
      assert.ok(body.type && body.title, 'problem has type and title');
      assert.match(body.detail, detail);
    }
    // HTTP/1.0 needs no Host, and 100-continue is still honoured.
    assert.match((await rawExchange(port, 'GET /health/live HTTP/1.0\r\n\r\n')).statusLine, / 200 /);
    const continued = await rawExchange(
      port,
      'GET /health/live HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n',
    );
    assert.match(continued.statusLine, / 100 /);
    assert.match(continued.body, /^HTTP\/1\.1 200 /);
  });

  it('refuses a body whose end only a closed connection would mark (Transfer-Encoding not ending in chunked)', async () => {
    const port = Number(new URL(api.baseUrl).port);
    // Node's parser refuses such a request only after the application has seen it: a route that
    // answered at once (here /health/live) said 200 and keep-alive, and then the connection was dropped.
    for (const raw of [
      'GET /health/live HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n',
      'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}',
    ]) {
      const res = await rawExchange(port, raw);
      assert.match(res.statusLine, /^HTTP\/1\.1 400 /, raw);
      assert.equal(res.headers['content-type'], 'application/problem+json');
      assert.equal(res.headers.connection, 'close');
      assert.match(JSON.parse(res.body).detail, /Transfer-Encoding/);
    }
    const chunked = await rawExchange(
      port,
      'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n' +
        'Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
    );
    assert.equal(JSON.parse(chunked.body).type, 'urn:problem:orders:validation', 'a framed body is read as usual');
  });

  it('keeps the connection after refusing a request that has no body, such as a malformed URL', async () => {
    const port = Number(new URL(api.baseUrl).port);
    const statuses = await onOneConnection(port, [
      'GET /api/orders/%zz HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n',
    ]);
    assert.deepEqual(
      statuses.map((line) => line.split(' ')[1]),
      ['400', '200'],
    );
  });

  it('lets a client still sending its body read the refusal: the connection is closed without a reset', async () => {
    const port = Number(new URL(api.baseUrl).port);
    const length = 'Content-Length: 1000000\r\n\r\n';
    for (const [status, head] of [
      // Refused by Node's parser (both framings at once), by Node's check of Expect, and here.
      [400, `GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n${length}`],
      [417, `POST /api/orders HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\n${length}`],
      [400, `POST /api/orders HTTP/1.1\r\n${length}`],
    ] as const) {
      const { answer, error } = await sendBodyAfterAnswer(port, head);
      assert.match(answer, new RegExp(`^HTTP/1\\.1 ${status} `), head);
      assert.equal(error, undefined, `${head}: sending the rest of the body after the answer`);
    }
  });
});

describe('unknown orders and routes', () => {
  it('answers 404 for ids that name no order, well-formed or not', async () => {
    for (const id of ['019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80', 'not-an-id']) {
      assertProblem(await call('GET', `/api/orders/${id}`), 404);
      assertProblem(await call('POST', `/api/orders/${id}/confirm`), 404);
      assertProblem(await call('DELETE', `/api/orders/${id}`), 404);
    }
    assertProblem(await call('GET', '/api/nothing-here'), 404);
  });
});

describe('documentation and health', () => {
  it('serves the OpenAPI document with every order endpoint and Swagger UI', async () => {
    const doc = await call('GET', '/docs/openapi.json');
    assert.equal(doc.status, 200);
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      '/api/orders',
      '/api/orders/bulk',
      '/api/orders/{id}',
      '/api/orders/{id}/confirm',
      '/api/orders/{id}/ship',
      '/api/orders/{id}/deliver',
    ]) {
      assert.ok(paths.includes(path), `documents ${path}`);
    }
    assert.ok(doc.body.paths['/api/orders'].post.responses['400'].content['application/problem+json']);
    const ui = await fetch(`${api.baseUrl}/docs`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /swagger-ui/i);
  });

  it('reports live and ready with the database checked', async () => {
    assert.equal((await call('GET', '/health/live')).status, 200);
    const ready = await call('GET', '/health/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.details.database.status, 'up');
  });

  it('echoes the caller request id', async () => {
    const res = await call('GET', '/health/live', { headers: { 'x-request-id': 'trace-123' } });
    assert.equal(res.headers.get('x-request-id'), 'trace-123');
  });

  it('gives problems found while reading the request a request id too', async () => {
    const given = await call('POST', '/api/orders', {
      rawBody: 'x',
      headers: { 'content-type': 'text/plain', 'x-request-id': 'trace-415' },
    });
    assertProblem(given, 415);
    assert.equal(given.headers.get('x-request-id'), 'trace-415');
    assert.equal(given.body.requestId, 'trace-415');
    const made = await call('GET', '/api/orders?customerId=%00');
    assertProblem(made, 400);
    assert.ok(made.body.requestId, 'a request id is made up');
    assert.equal(made.headers.get('x-request-id'), made.body.requestId);
  });
});
