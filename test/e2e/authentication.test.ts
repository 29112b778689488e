import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import {
  assertForbidden,
  assertUnauthenticated,
  bearer,
  mapConcurrently,
  unauthenticatedFaults,
} from '../support/auth-answers';
import { AppProcess } from '../support/app-process';
import { badTokens, countByCategory, presentsBearerToken } from '../support/bad-tokens';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { orderDraft, request } from '../support/http';
import { OidcProvider, ORDERS_AUDIENCE } from '../support/oidc-provider';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

let db: TestDatabase;
let idp: OidcProvider;
let api: TestApp;

/** A request as `token`'s holder sends it (no token: anonymous). */
const callAs = (app: TestApp, token: string | undefined, method: string, path: string, body?: unknown) =>
  request(app.baseUrl, method, path, { body, headers: token ? bearer(token) : {} });
const call = (token: string | undefined, method: string, path: string, body?: unknown) =>
  callAs(api, token, method, path, body);

before(async () => {
  db = await TestDatabase.create();
  idp = await OidcProvider.start();
  api = await startTestApp({ DATABASE_URL: db.url, AUTH_ISSUER: idp.issuer });
});

after(async () => {
  await api?.close();
  await idp?.stop();
  await db?.drop();
});

/** Another instance on the same database and provider, reading roles and customer from other claims. */
async function withClaimSettings(settings: Record<string, string>, work: (app: TestApp) => Promise<void>) {
  const app = await startTestApp({
    DATABASE_URL: db.url,
    AUTH_ISSUER: idp.issuer,
    DB_MIGRATIONS_RUN: 'false',
    ...settings,
  });
  try {
    await work(app);
  } finally {
    await app.close();
  }
}

describe('authentication with an OpenID provider', () => {
  it("finds the provider's keys through its discovery document and accepts its tokens", async () => {
    const admin = await idp.token({ roles: ['admin'] });
    const placed = await call(admin, 'POST', '/api/orders', orderDraft());
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const read = await call(admin, 'GET', `/api/orders/${placed.body.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, placed.body);
    // The test's own token requests go straight to the token endpoint: these came from the service.
    assert.ok(idp.requests.includes('/.well-known/openid-configuration'), idp.requests.join(' '));
    assert.ok(idp.requests.includes('/jwks'), idp.requests.join(' '));
    const discovery = await idp.discovery();
    assert.equal(discovery.issuer, idp.issuer);
    assert.equal(discovery.jwks_uri, idp.jwksUrl);
  });

  it('answers a request without a token with 401 and the bare Bearer challenge', async () => {
    assertUnauthenticated(await call(undefined, 'GET', '/api/orders'), false);
    assertUnauthenticated(await call(undefined, 'POST', '/api/orders', orderDraft()), false);
  });

  it('takes the customer id from the subject and places orders for it', async () => {
    const customer = await idp.token({ roles: ['customer'], customer: 'customer-42' });
    const { customerId: _left, ...draft } = orderDraft();
    const placed = await call(customer, 'POST', '/api/orders', draft);
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.customerId, 'customer-42');
  });

  it('answers a valid token without the role an operation needs with 403 insufficient_scope', async () => {
    const fulfilment = await idp.token({ roles: ['fulfilment'] });
    assertForbidden(await call(fulfilment, 'POST', '/api/orders', orderDraft()));
    const auditor = await idp.token({ roles: ['auditor'] });
    assertForbidden(await call(auditor, 'GET', '/api/orders'));
    const roleless = await idp.token({ subject: 'no-roles-at-all' });
    assertForbidden(await call(roleless, 'GET', `/api/orders/${randomUUID()}`));
  });

  it('accepts tokens signed with a rotated key without a restart, and those signed before', async (t) => {
    assertUnauthenticated(await call(undefined, 'GET', '/api/orders'), false); // tokens are checked at all
    const before = await idp.token({ roles: ['support'] });
    assert.equal((await call(before, 'GET', '/api/orders')).status, 200); // the service holds the current keys
    const rotated = await idp.rotateKeys();
    const after = await idp.token({ roles: ['support'] });
    assert.equal(decodeProtectedHeader(after).kid, rotated.kid);
    const started = Date.now();
    // A verifier may wait a while between JWKS refetches (jose's default: 30 s); it must get there.
    await eventually(async () => (await call(after, 'GET', '/api/orders')).status === 200, 40_000, 'the new key');
    t.diagnostic(`a token with the new kid was accepted ${Date.now() - started} ms after the rotation`);
    assert.equal((await call(before, 'GET', '/api/orders')).status, 200);
  });

  it('refuses every one of over 1,000 bad tokens with 401 and the challenge the contract names', async (t) => {
    const items = badTokens({
      issuer: idp.issuer,
      audience: ORDERS_AUDIENCE,
      signingKey: idp.signingKey,
      knownKids: idp.publishedKeys.map((key) => key.kid),
    });
    assert.ok(items.length >= 1000, `${items.length} bad tokens`);
    const outcomes = await mapConcurrently(items, 16, async (item) => {
      const headers: Record<string, string> =
        item.authorization === undefined ? {} : { authorization: item.authorization };
      const res = await request(api.baseUrl, 'GET', `/api/orders/${randomUUID()}`, { headers });
      return { item, status: res.status, faults: unauthenticatedFaults(res, presentsBearerToken(item)) };
    });

    const accepted = outcomes.filter((o) => o.status !== 401);
    const wrongAnswer = outcomes.filter((o) => o.status === 401 && o.faults.length > 0);
    const tried = countByCategory(items);
    const acceptedBy = countByCategory(accepted.map((o) => o.item));
    for (const [category, count] of Object.entries(tried)) {
      t.diagnostic(`${category}: ${count} sent, ${acceptedBy[category] ?? 0} accepted`);
    }
    t.diagnostic(
      `${items.length} bad tokens, ${accepted.length} accepted, ${wrongAnswer.length} refused unlike the contract`,
    );
    const describe = (o: (typeof outcomes)[number]) =>
      `${o.item.category} (${o.item.variant}): ${o.faults.join(', ')}; ${o.item.authorization?.slice(0, 80)}`;
    assert.deepEqual(accepted.map(describe), []);
    assert.deepEqual(wrongAnswer.map(describe), []);
  });

  it('serves health, metrics and the OpenAPI document without a token', async () => {
    assertUnauthenticated(await call(undefined, 'GET', '/api/orders'), false);
    for (const path of ['/health/live', '/health/ready', '/metrics', '/docs/openapi.json']) {
      assert.equal((await call(undefined, 'GET', path)).status, 200, path);
    }
    const ui = await fetch(`${api.baseUrl}/docs`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /swagger-ui/i);
  });
});

describe('roles and customer from configured claims', () => {
  it('reads the roles from the space-separated scope with AUTH_ROLES_CLAIM=scope', async () => {
    await withClaimSettings({ AUTH_ROLES_CLAIM: 'scope' }, async (app) => {
      const admin = await idp.token({ scope: ['orders:read', 'admin'] });
      const bulk = await callAs(app, admin, 'POST', '/api/orders/bulk', { orders: [orderDraft()] });
      assert.equal(bulk.status, 201, JSON.stringify(bulk.body));

      // The roles claim says admin, but this instance reads scope only.
      const customer = await idp.token({ roles: ['admin'], scope: ['customer'], customer: 'customer-scope' });
      assertForbidden(await callAs(app, customer, 'POST', '/api/orders/bulk', { orders: [orderDraft()] }));
      const { customerId: _left, ...draft } = orderDraft();
      const placed = await callAs(app, customer, 'POST', '/api/orders', draft);
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      assert.equal(placed.body.customerId, 'customer-scope');
    });
  });

  it("reads Keycloak's realm_access.roles, and the customer id from AUTH_CUSTOMER_CLAIM", async () => {
    const settings = { AUTH_ROLES_CLAIM: 'realm_access.roles', AUTH_CUSTOMER_CLAIM: 'org.customer_id' };
    await withClaimSettings(settings, async (app) => {
      const customer = await idp.token({
        subject: 'keycloak-user-7',
        claims: { realm_access: { roles: ['offline_access', 'customer'] }, org: { customer_id: 'customer-77' } },
      });
      const { customerId: _left, ...draft } = orderDraft();
      const placed = await callAs(app, customer, 'POST', '/api/orders', draft);
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      assert.equal(placed.body.customerId, 'customer-77');
      assert.equal((await callAs(app, customer, 'GET', `/api/orders/${placed.body.id}`)).status, 200);
      const listed = await callAs(app, customer, 'GET', '/api/orders');
      assert.deepEqual([...new Set(listed.body.items.map((o: any) => o.customerId))], ['customer-77']);

      const fulfilment = await idp.token({ claims: { realm_access: { roles: ['fulfilment'] } } });
      assert.equal((await callAs(app, fulfilment, 'POST', `/api/orders/${placed.body.id}/confirm`)).status, 200);

      // A top-level roles claim means nothing to this instance: no role at all.
      const topLevel = await idp.token({ roles: ['admin'] });
      assertForbidden(await callAs(app, topLevel, 'GET', '/api/orders'));
    });
  });
});

describe('rate limits per principal', () => {
  it('counts each token holder by its subject, wherever it calls from, and anonymous callers by address', async () => {
    await withClaimSettings(
      { RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_KEY_PREFIX: `test:${randomUUID()}` },
      async (app) => {
        const first = await idp.token({ roles: ['support'], subject: 'support-1' });
        const second = await idp.token({ roles: ['support'], subject: 'support-2' });
        const list = (token: string) => callAs(app, token, 'GET', '/api/orders');
        for (let i = 0; i < 3; i++) assert.equal((await list(first)).status, 200);
        const spent = await list(first);
        assert.equal(spent.status, 429);
        assert.ok(Number(spent.headers.get('retry-after')) > 0);
        // Same address, another principal: a budget of its own.
        assert.equal((await list(second)).status, 200);
        // A second token of the first subject spends the first one's budget.
        const again = await idp.token({ roles: ['support'], subject: 'support-1', lifetimeSeconds: 120 });
        assert.equal((await list(again)).status, 429);
      },
    );
  });
});

describe('an issuer that cannot be reached', () => {
  it("answers 503 with Retry-After, not 401: the token may be fine, the issuer's keys are out of reach", async () => {
    const gone = `http://127.0.0.1:${await freePort()}`;
    await withClaimSettings({ AUTH_ISSUER: gone }, async (app) => {
      const res = await callAs(app, await idp.token({ roles: ['admin'] }), 'GET', '/api/orders');
      assert.equal(res.status, 503);
      assert.equal(res.body.type, 'urn:problem:orders:issuer-unavailable');
      assert.ok(Number(res.headers.get('retry-after')) > 0);
    });
  });
});

describe('secure by default', () => {
  const main = resolve(__dirname, '../../apps/orders/src/main.js');
  const startWith = (env: Record<string, string>) =>
    spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '', ROLES: 'api', PORT: '0', LOG_FORMAT: 'json', DATABASE_URL: db.url, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('refuses to start on a real database with no issuer, saying how to go on', () => {
    const refused = startWith({});
    assert.equal(refused.status, 1, refused.stdout + refused.stderr);
    assert.match(refused.stdout, /No token issuer configured: set AUTH_ISSUER .* or AUTH_DISABLED=true/);
  });

  it('starts without authentication only when told so, and warns about it', async () => {
    const port = await freePort();
    const open = AppProcess.start({ ROLES: 'api', PORT: String(port), DATABASE_URL: db.url, AUTH_DISABLED: 'true' });
    try {
      await open.waitUntilLive(port);
      assert.match(open.output, /AUTH_DISABLED=true: the API serves every request without authentication/);
      assert.equal((await request(`http://127.0.0.1:${port}`, 'GET', '/api/orders')).status, 200);
    } finally {
      await open.stop();
    }
  });
});
