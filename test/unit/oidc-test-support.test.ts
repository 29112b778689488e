import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, JWTPayload, jwtVerify } from 'jose';
import {
  BadTokenCategory,
  badTokens,
  bearerTokenOf,
  countByCategory,
  presentsBearerToken,
} from '../support/bad-tokens';
import { forgeFor } from '../support/bad-tokens/forgery';
import { OidcProvider, ORDERS_AUDIENCE } from '../support/oidc-provider';
import fc from 'fast-check';

// The test support the authentication suites stand on, checked without the service: the provider is
// a real OpenID provider, and every forged token fails a strict verifier that accepts the real ones.
let idp: OidcProvider;
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

before(async () => {
  idp = await OidcProvider.start();
});

after(async () => {
  await idp?.stop();
});

/** Verifies as the service is meant to: keys by discovery, issuer, audience, asymmetric algorithms, 5 s skew. */
async function verifier() {
  const discovery = await idp.discovery();
  // An unknown kid refetches the keys at once (jose's default waits 30 s after the last fetch).
  const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri as string), { cooldownDuration: 0 });
  const options = { issuer: idp.issuer, audience: ORDERS_AUDIENCE, algorithms: ALGORITHMS, clockTolerance: 5 };
  return async (token: string): Promise<JWTPayload> => (await jwtVerify(token, jwks, options)).payload;
}

describe('the test OpenID provider', () => {
  it('publishes discovery whose issuer and jwks_uri are its own', async () => {
    const discovery = await idp.discovery();
    assert.equal(discovery.issuer, idp.issuer);
    assert.equal(discovery.jwks_uri, idp.jwksUrl);
    assert.equal(discovery.token_endpoint, idp.tokenEndpoint);
    assert.match(idp.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('issues RS256 access tokens over HTTP with the roles, subject and audience asked for', async () => {
    const verify = await verifier();
    const token = await idp.token({ roles: ['customer'], customer: 'customer-42' });
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'RS256', typ: 'at+jwt', kid: idp.signingKey.kid });
    const claims = await verify(token);
    assert.equal(claims.sub, 'customer-42');
    assert.deepEqual(claims.roles, ['customer']);
    assert.equal(claims.aud, ORDERS_AUDIENCE);
    assert.equal(claims.iss, idp.issuer);
    assert.equal(Number(claims.exp) - Number(claims.iat), 300);
  });

  it('grants scopes, extra claims, another subject, audience and lifetime', async () => {
    const verify = await verifier();
    const keycloakLike = await idp.token({
      subject: 'user-7',
      scope: ['orders:read', 'support'],
      claims: { realm_access: { roles: ['fulfilment'] }, org: { customer_id: 'customer-77' } },
      lifetimeSeconds: 120,
    });
    const claims = await verify(keycloakLike);
    assert.equal(claims.sub, 'user-7');
    assert.equal(claims.scope, 'orders:read support');
    assert.deepEqual(claims.realm_access, { roles: ['fulfilment'] });
    assert.deepEqual(claims.org, { customer_id: 'customer-77' });
    assert.equal(claims.roles, undefined);
    assert.equal(Number(claims.exp) - Number(claims.iat), 120);

    const forBilling = await idp.token({ roles: ['admin'], audience: 'billing-api' });
    await assert.rejects(verify(forBilling), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });
  });

  it('rotates to a new kid behind the same issuer, and a verifier that cached the old keys accepts it', async () => {
    const verify = await verifier();
    const before = await idp.token({ roles: ['admin'] });
    await verify(before); // the verifier now holds the JWKS with the old key only
    const old = idp.signingKey;
    const rotated = await idp.rotateKeys();
    assert.notEqual(rotated.kid, old.kid);
    const after = await idp.token({ roles: ['admin'] });
    assert.equal(decodeProtectedHeader(after).kid, rotated.kid);
    assert.equal((await verify(after)).iss, idp.issuer);
    assert.equal((await verify(before)).iss, idp.issuer, 'the previous key is still published');
    const jwks = (await (await fetch(idp.jwksUrl)).json()) as { keys: { kid: string }[] };
    assert.deepEqual(
      jwks.keys.map((key) => key.kid),
      [rotated.kid, old.kid],
    );
  });
});

/** How jose refuses each category: a token refused for another reason would be broken in two ways. */
const REFUSAL: Record<string, string[]> = {
  malformed: ['ERR_JWS_INVALID', 'ERR_JWT_INVALID'],
  // Without a kid, jose tries every published key and names them all in its error.
  'bad-signature': ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS'],
  'alg-none': ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JWS_INVALID'],
  'hmac-with-public-key': ['ERR_JOSE_ALG_NOT_ALLOWED'],
  'unknown-kid': ['ERR_JWKS_NO_MATCHING_KEY'],
  'algorithm-not-the-keys': ['ERR_JOSE_ALG_NOT_ALLOWED'],
  expired: ['ERR_JWT_EXPIRED exp'],
  'not-yet-valid': ['ERR_JWT_CLAIM_VALIDATION_FAILED nbf'],
  'wrong-issuer': ['ERR_JWT_CLAIM_VALIDATION_FAILED iss'],
  'wrong-audience': ['ERR_JWT_CLAIM_VALIDATION_FAILED aud'],
} satisfies Partial<Record<BadTokenCategory, string[]>>;

const refusalOf = (error: { code?: string; claim?: string }) => [error.code, error.claim].filter(Boolean).join(' ');

describe('the bad tokens', () => {
  const target = () => ({
    issuer: idp.issuer,
    audience: ORDERS_AUDIENCE,
    signingKey: idp.signingKey,
    knownKids: idp.publishedKeys.map((key) => key.kid),
  });

  it('are forged from claims the verifier accepts, so each breaks only what its category says', async () => {
    const verify = await verifier();
    const forge = forgeFor(target());
    for (const claims of fc.sample(forge.validClaims, { seed: 1, numRuns: 20 })) {
      assert.equal((await verify(forge.sign(claims))).sub, claims.sub);
    }
  });

  it('number over 1,000, all different, and every one fails verification for the reason of its category', async (t) => {
    const verify = await verifier();
    const items = badTokens(target());
    const counts = countByCategory(items);
    t.diagnostic(`${items.length} bad tokens: ${JSON.stringify(counts)}`);
    assert.ok(items.length >= 1000, `${items.length} bad tokens`);
    assert.equal(new Set(items.map((item) => item.authorization)).size, items.length);
    for (const [category, count] of Object.entries(counts)) {
      assert.ok(count >= (category === 'missing' ? 5 : 50), `${category}: ${count}`);
    }

    const wrong: string[] = [];
    for (const item of items) {
      const token = bearerTokenOf(item.authorization);
      const label = `${item.category} (${item.variant}): ${item.authorization?.slice(0, 80)}`;
      if (!presentsBearerToken(item)) {
        assert.equal(token, undefined, label);
        continue;
      }
      if (token === undefined) assert.fail(`no Bearer token in ${label}`);
      const refusal = await verify(token).then(() => 'accepted', refusalOf);
      if (!REFUSAL[item.category].includes(refusal)) wrong.push(`${refusal}: ${label}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('are the same for the same seed and keys', () => {
    const a = badTokens(target(), { seed: 7, perCategory: 10 });
    const b = badTokens(target(), { seed: 7, perCategory: 10 });
    assert.deepEqual(
      a.map((item) => item.variant),
      b.map((item) => item.variant),
    );
  });
});
