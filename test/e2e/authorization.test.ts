import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { assertForbidden, assertOrderNotFound, bearer } from '../support/auth-answers';
import { assertPublishedEventsKeepContract } from '../support/event-contract';
import { eventually } from '../support/eventually';
import { JsonResponse, orderDraft, request } from '../support/http';
import { kafkaBrokers, TopicReader } from '../support/kafka';
import { OidcProvider, TokenRequest } from '../support/oidc-provider';
import { RedisServer } from '../support/redis-server';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

let db: TestDatabase;
let redis: RedisServer;
let idp: OidcProvider;
let api: TestApp;
let orders: TopicReader;

/** Who calls: each one client of the provider, with the roles and subject it names. */
const PRINCIPALS = {
  customerA: { roles: ['customer'], customer: 'customer-a' },
  customerB: { roles: ['customer'], customer: 'customer-b' },
  customerC: { roles: ['customer'], customer: 'customer-c' },
  support: { roles: ['support'], subject: 'support-agent-1' },
  fulfilment: { roles: ['fulfilment'], subject: 'warehouse-1' },
  admin: { roles: ['admin'], subject: 'admin-1' },
  roleless: { roles: ['auditor'], subject: 'auditor-1' },
  opsLead: { roles: ['fulfilment', 'admin'], subject: 'ops-lead' },
  pickingCustomer: { roles: ['customer', 'fulfilment'], subject: 'picker-1' },
  supportingCustomer: { roles: ['customer', 'support'], customer: 'customer-a' },
  shiftLead: { roles: ['fulfilment', 'support'], subject: 'shift-lead' },
} satisfies Record<string, TokenRequest>;
const tokens = {} as Record<keyof typeof PRINCIPALS, string>;

const call = (token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  request(api.baseUrl, method, path, { body, headers: { ...headers, ...bearer(token) } });

/** An order draft as a customer sends it: the customer id comes from the token. */
const customerDraft = (overrides: Record<string, unknown> = {}) => {
  const { customerId: _fromToken, ...draft } = orderDraft(overrides);
  return draft;
};

before(async () => {
  db = await TestDatabase.create();
  redis = await RedisServer.start();
  idp = await OidcProvider.start();
  api = await startTestApp({
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    AUTH_ISSUER: idp.issuer,
    ROLES: 'api,worker',
    KAFKA_BROKERS: kafkaBrokers.join(','),
  });
  orders = await TopicReader.start('orders');
  for (const [name, principal] of Object.entries(PRINCIPALS)) {
    tokens[name as keyof typeof PRINCIPALS] = await idp.token({ ...principal, lifetimeSeconds: 3600 });
  }
});

after(async () => {
  await orders?.stop();
  await api?.close();
  await idp?.stop();
  await redis?.kill();
  await db?.drop();
});

type Order = { id: string; customerId: string; version: number; status: string; [field: string]: unknown };
const STEPS_TO = { PLACED: [], CONFIRMED: ['confirm'], SHIPPED: ['confirm', 'ship'] } as const;

/** A new order of `owner` in `status`, placed and moved along by an admin. */
async function orderOf(owner: string, status: keyof typeof STEPS_TO = 'PLACED'): Promise<Order> {
  const placed = await call(tokens.admin, 'POST', '/api/orders', orderDraft({ customerId: owner }));
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  let order = placed.body as Order;
  for (const step of STEPS_TO[status]) {
    const moved = await call(tokens.admin, 'POST', `/api/orders/${order.id}/${step}`);
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    order = moved.body as Order;
  }
  return order;
}

/** One endpoint of the table: the order state it needs, how to call it, and what a success must show. */
interface Endpoint {
  needs?: keyof typeof STEPS_TO;
  send(token: string, owner: string, order: Order | undefined): Promise<JsonResponse>;
  success(res: JsonResponse, owner: string, order: Order | undefined, asCustomer: boolean): void;
}

const revision = {
  lines: [{ sku: 'SKU-9', name: 'Cable', quantity: 3, unitPrice: 700 }],
  shippingAddress: orderDraft().shippingAddress,
};
const isTheOrder = (res: JsonResponse, _owner: string, order: Order | undefined) =>
  assert.equal(res.body.id, order!.id);
const transition = (step: string, needs: keyof typeof STEPS_TO, becomes: string): Endpoint => ({
  needs,
  send: (token, _owner, order) => call(token, 'POST', `/api/orders/${order!.id}/${step}`),
  success: (res) => assert.equal(res.body.status, becomes),
});

const ENDPOINTS: Record<string, Endpoint> = {
  'POST /api/orders': {
    send: (token, owner) => call(token, 'POST', '/api/orders', orderDraft({ customerId: owner })),
    success: (res, owner) => assert.equal(res.body.customerId, owner),
  },
  'POST /api/orders/bulk': {
    send: (token, owner) => call(token, 'POST', '/api/orders/bulk', { orders: [orderDraft({ customerId: owner })] }),
    success: (res, owner) =>
      assert.deepEqual(
        res.body.orders.map((o: Order) => o.customerId),
        [owner],
      ),
  },
  'GET /api/orders': {
    send: (token, owner) => call(token, 'GET', `/api/orders?customerId=${owner}&limit=100`),
    success: (res, owner, _order, asCustomer) => {
      // A customer's own orders only, whatever customerId the query names.
      const expected = asCustomer ? 'customer-a' : owner;
      assert.ok(res.body.items.length > 0);
      assert.deepEqual([...new Set(res.body.items.map((o: Order) => o.customerId))], [expected]);
    },
  },
  'GET /api/orders/:id': {
    needs: 'PLACED',
    send: (token, _owner, order) => call(token, 'GET', `/api/orders/${order!.id}`),
    success: isTheOrder,
  },
  'GET /api/orders/:id/events': {
    needs: 'PLACED',
    send: (token, _owner, order) => call(token, 'GET', `/api/orders/${order!.id}/events`),
    success: (res, _owner, order) => assert.equal(res.body.orderId, order!.id),
  },
  'PUT /api/orders/:id': {
    needs: 'PLACED',
    send: (token, _owner, order) => call(token, 'PUT', `/api/orders/${order!.id}`, revision),
    success: (res) => assert.deepEqual([res.body.version, res.body.lines[0].sku], [2, 'SKU-9']),
  },
  'PATCH /api/orders/:id': {
    needs: 'PLACED',
    send: (token, _owner, order) =>
      call(
        token,
        'PATCH',
        `/api/orders/${order!.id}`,
        { notes: 'patched' },
        { 'content-type': 'application/merge-patch+json' },
      ),
    success: (res) => assert.deepEqual([res.body.version, res.body.notes], [2, 'patched']),
  },
  'POST /api/orders/:id/confirm': transition('confirm', 'PLACED', 'CONFIRMED'),
  'POST /api/orders/:id/ship': transition('ship', 'CONFIRMED', 'SHIPPED'),
  'POST /api/orders/:id/deliver': transition('deliver', 'SHIPPED', 'DELIVERED'),
  'DELETE /api/orders/:id': {
    needs: 'PLACED',
    send: (token, _owner, order) => call(token, 'DELETE', `/api/orders/${order!.id}?reason=changed-mind`),
    success: (res) => assert.equal(res.body.status, 'CANCELLED'),
  },
};

/** The contract's table; a customer's column is split into their own order and another customer's. */
const CALLERS = [
  { column: 'customer, own', principal: 'customerA', owner: 'customer-a' },
  { column: "customer, another's", principal: 'customerA', owner: 'customer-b' },
  { column: 'support', principal: 'support', owner: 'customer-a' },
  { column: 'fulfilment', principal: 'fulfilment', owner: 'customer-a' },
  { column: 'admin', principal: 'admin', owner: 'customer-a' },
  { column: 'no known role', principal: 'roleless', owner: 'customer-a' },
] as const;
// prettier-ignore
const TABLE: [endpoint: string, ...expected: number[]][] = [
  //                                 own  another's support fulfilment admin no-role
  ['POST /api/orders',               201, 403,      403,    403,       201,  403],
  ['POST /api/orders/bulk',          403, 403,      403,    403,       201,  403],
  ['GET /api/orders',                200, 200,      200,    200,       200,  403],
  ['GET /api/orders/:id',            200, 404,      200,    200,       200,  403],
  ['GET /api/orders/:id/events',     200, 404,      200,    200,       200,  403],
  ['PUT /api/orders/:id',            200, 404,      200,    403,       200,  403],
  ['PATCH /api/orders/:id',          200, 404,      200,    403,       200,  403],
  ['POST /api/orders/:id/confirm',   403, 403,      403,    200,       200,  403],
  ['POST /api/orders/:id/ship',      403, 403,      403,    200,       200,  403],
  ['POST /api/orders/:id/deliver',   403, 403,      403,    200,       200,  403],
  ['DELETE /api/orders/:id',         200, 404,      200,    403,       200,  403],
];

describe('role x endpoint, as the contract tables it', () => {
  before(async () => {
    // Both customers have orders, so list filters have something to leave out.
    await orderOf('customer-a');
    await orderOf('customer-b');
  });

  for (const [endpoint, ...expected] of TABLE) {
    CALLERS.forEach(({ column, principal, owner }, i) => {
      it(`${endpoint} as ${column}: ${expected[i]}`, async () => {
        const { needs, send, success } = ENDPOINTS[endpoint];
        const order = needs ? await orderOf(owner, needs) : undefined;
        const res = await send(tokens[principal], owner, order);
        if (expected[i] === 403) assertForbidden(res);
        else if (expected[i] === 404) assertOrderNotFound(res);
        else {
          assert.equal(res.status, expected[i], JSON.stringify(res.body));
          success(res, owner, order, principal === 'customerA');
        }
        if (order && expected[i] >= 400) {
          const unchanged = await call(tokens.admin, 'GET', `/api/orders/${order.id}`);
          assert.deepEqual([unchanged.body.version, unchanged.body.status], [order.version, order.status]);
        }
      });
    });
  }

  it('decides a missing role before looking the order up', async () => {
    assertForbidden(await call(tokens.support, 'POST', `/api/orders/${randomUUID()}/confirm`));
    assertForbidden(await call(tokens.fulfilment, 'PUT', `/api/orders/${randomUUID()}`, revision));
  });
});

/** A response with the order id and request id taken out: what must not differ between B's order and no order. */
const normalized = (res: JsonResponse, id: string) => {
  const { requestId: _each, ...body } = JSON.parse(JSON.stringify(res.body).replaceAll(id, ':id'));
  return { status: res.status, type: res.headers.get('content-type'), body };
};

describe("customer A reaching for customer B's orders (BOLA)", () => {
  it('learns nothing and changes nothing through any endpoint, cached or not', async (t) => {
    const a = tokens.customerA;
    const b = tokens.customerB;
    const key = `bola-${randomUUID()}`;
    const draft = customerDraft({ notes: 'for B only' });
    const placed = await call(b, 'POST', '/api/orders', draft, { 'idempotency-key': key });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const theirs = placed.body as Order;
    const leaks: string[] = [];
    let attempts = 0;

    /** A's answer about B's order must be the answer about an order that does not exist. */
    const sameAsNoOrder = async (what: string, send: (id: string) => Promise<JsonResponse>) => {
      attempts++;
      const missing = randomUUID();
      const [real, none] = [await send(theirs.id), await send(missing)];
      const [seen, unseen] = [normalized(real, theirs.id), normalized(none, missing)];
      if (real.status < 400 || JSON.stringify(seen) !== JSON.stringify(unseen)) {
        leaks.push(`${what}: ${real.status} ${JSON.stringify(real.body).slice(0, 200)} (no order: ${none.status})`);
      }
    };

    await sameAsNoOrder('read, never read before', (id) => call(a, 'GET', `/api/orders/${id}`));
    await call(b, 'GET', `/api/orders/${theirs.id}`);
    const cached = await call(b, 'GET', `/api/orders/${theirs.id}`);
    assert.equal(cached.headers.get('x-cache'), 'HIT', "B's order is in the cache");
    await sameAsNoOrder('read, cached', (id) => call(a, 'GET', `/api/orders/${id}`));
    await sameAsNoOrder('read if none match', (id) =>
      call(a, 'GET', `/api/orders/${id}`, undefined, { 'if-none-match': '"1"' }),
    );

    await eventually(
      async () => (await call(b, 'GET', `/api/orders/${theirs.id}/events`)).body.events?.length === 1,
      30_000,
      "B's timeline",
    );
    await sameAsNoOrder('timeline', (id) => call(a, 'GET', `/api/orders/${id}/events`));
    await sameAsNoOrder('revise', (id) => call(a, 'PUT', `/api/orders/${id}`, revision, { 'if-match': '"1"' }));
    await sameAsNoOrder('patch', (id) =>
      call(a, 'PATCH', `/api/orders/${id}`, { notes: 'mine now' }, { 'content-type': 'application/merge-patch+json' }),
    );
    for (const step of ['confirm', 'ship', 'deliver']) {
      await sameAsNoOrder(step, (id) => call(a, 'POST', `/api/orders/${id}/${step}`));
    }
    await sameAsNoOrder('cancel', (id) => call(a, 'DELETE', `/api/orders/${id}?reason=fraud`));

    // Lists, B's first so the page is cached: A names B as the customer and gets only A's orders.
    for (const path of ['/api/orders?customerId=customer-b', `/api/orders?customerId=customer-b&status=PLACED`]) {
      await call(b, 'GET', path);
      attempts++;
      const listed = await call(a, 'GET', path);
      const foreign = listed.body.items?.filter((o: Order) => o.customerId !== 'customer-a') ?? [];
      if (listed.status !== 200 || foreign.length > 0)
        leaks.push(`list ${path}: ${listed.status}, ${foreign.length} foreign`);
    }

    // B's idempotency key with B's body (A), and with another body (C): each places an order of their own.
    const reuses = [
      { token: a, customer: 'customer-a', body: draft },
      { token: tokens.customerC, customer: 'customer-c', body: customerDraft({ notes: 'other body' }) },
    ];
    for (const { token, customer, body } of reuses) {
      attempts++;
      const reused = await call(token, 'POST', '/api/orders', body, { 'idempotency-key': key });
      if (reused.status !== 201 || reused.body.id === theirs.id || reused.body.customerId !== customer) {
        leaks.push(`idempotency key as ${customer}: ${reused.status} ${JSON.stringify(reused.body).slice(0, 200)}`);
      } else if (reused.headers.get('idempotent-replayed') !== null)
        leaks.push(`idempotency key as ${customer}: replayed`);
    }

    t.diagnostic(`${leaks.length} of ${attempts} attempts on another customer's order leaked`);
    assert.deepEqual(leaks, []);
    const after = await call(b, 'GET', `/api/orders/${theirs.id}`);
    assert.deepEqual(after.body, theirs, "B's order is as B left it");
  });
});

describe('Idempotency-Key per principal', () => {
  it('places two orders for the same key from two customers, and replays each one to its own customer', async () => {
    const key = `shared-${randomUUID()}`;
    const draft = customerDraft();
    const first = await call(tokens.customerA, 'POST', '/api/orders', draft, { 'idempotency-key': key });
    const second = await call(tokens.customerB, 'POST', '/api/orders', draft, { 'idempotency-key': key });
    assert.deepEqual([first.status, second.status], [201, 201]);
    assert.notEqual(second.body.id, first.body.id);
    assert.deepEqual([first.body.customerId, second.body.customerId], ['customer-a', 'customer-b']);
    assert.equal(second.headers.get('idempotent-replayed'), null);

    const again = await call(tokens.customerA, 'POST', '/api/orders', draft, { 'idempotency-key': key });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.body.id, first.body.id);
  });
});

describe('the actor of every change', () => {
  const actorsOnKafka = async (id: string, count: number) => {
    const records = (await orders.waitFor((all) => all.filter((r) => r.key === id).length >= count)).filter(
      (r) => r.key === id,
    );
    return records.map((r) => JSON.parse(r.value!).actor);
  };
  const actorsInTimeline = async (id: string, count: number) => {
    const timeline = async () => (await call(tokens.support, 'GET', `/api/orders/${id}/events`)).body.events as any[];
    await eventually(async () => (await timeline()).length === count, 30_000, 'the timeline');
    return (await timeline()).map((entry) => entry.actor);
  };

  it('names who changed an order and in which role, on Kafka and in the timeline', async () => {
    const placed = await call(tokens.customerA, 'POST', '/api/orders', customerDraft());
    const { id } = placed.body as Order;
    assert.equal((await call(tokens.support, 'PUT', `/api/orders/${id}`, revision)).status, 200);
    assert.equal((await call(tokens.fulfilment, 'POST', `/api/orders/${id}/confirm`)).status, 200);
    assert.equal((await call(tokens.opsLead, 'POST', `/api/orders/${id}/ship`)).status, 200);
    assert.equal((await call(tokens.pickingCustomer, 'POST', `/api/orders/${id}/deliver`)).status, 200);

    const expected = [
      { subject: 'customer-a', role: 'customer' },
      { subject: 'support-agent-1', role: 'support' },
      { subject: 'warehouse-1', role: 'fulfilment' },
      { subject: 'ops-lead', role: 'admin' }, // admin outranks fulfilment
      { subject: 'picker-1', role: 'fulfilment' }, // the customer role cannot deliver
    ];
    assert.deepEqual(await actorsOnKafka(id, 5), expected);
    assert.deepEqual(await actorsInTimeline(id, 5), expected);
  });

  it('takes the most privileged of the roles that allow the change', async () => {
    const order = await orderOf('customer-a');
    const patched = await call(
      tokens.supportingCustomer,
      'PATCH',
      `/api/orders/${order.id}`,
      { notes: 'gift' },
      {
        'content-type': 'application/merge-patch+json',
      },
    );
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal((await call(tokens.shiftLead, 'DELETE', `/api/orders/${order.id}?reason=duplicate`)).status, 200);

    const expected = [
      { subject: 'admin-1', role: 'admin' },
      { subject: 'customer-a', role: 'support' }, // support outranks customer, on the customer's own order too
      { subject: 'shift-lead', role: 'support' }, // fulfilment cannot cancel
    ];
    assert.deepEqual(await actorsOnKafka(order.id, 3), expected);
    assert.deepEqual(await actorsInTimeline(order.id, 3), expected);
  });

  it('publishes every event, actor included, valid against its schema', async (t) => {
    const { checked, published } = await assertPublishedEventsKeepContract(db, orders);
    t.diagnostic(`${checked} records of ${published} published events validated against their schemas`);
  });
});
