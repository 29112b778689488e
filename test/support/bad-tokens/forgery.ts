import fc from 'fast-check';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import type { SigningKey } from '../oidc-provider';
import { signedJwt } from '../jwt-forge';

/** What the tokens are forged against: the provider's issuer, the service's audience and the real key. */
export interface ForgeryTarget {
  issuer: string;
  audience: string;
  signingKey: SigningKey;
  /** Every kid the provider publishes: an "unknown" kid must be none of them. */
  knownKids: readonly string[];
}

/** One way to get a request refused: what it is, and the Authorization header that carries it. */
export interface Forgery {
  variant: string;
  /** The header value; undefined sends no Authorization header at all. */
  authorization: string | undefined;
}

export type Claims = Record<string, unknown>;

/** Keys the provider never published. */
export interface ForeignKeys {
  rsa: KeyObject[];
  ec: KeyObject[];
  ed25519: KeyObject[];
}

/** The material every category forges from; `now` is in seconds. */
export interface Forge {
  target: ForgeryTarget;
  now: number;
  foreign: ForeignKeys;
  /** Claims the service accepts, as the provider would issue them: each category breaks exactly one thing. */
  validClaims: fc.Arbitrary<Claims>;
  /** A token of `claims` signed with the provider's real key and kid, as the provider would sign it. */
  sign(claims: Claims, header?: Record<string, unknown>): string;
}

export const ROLES = ['customer', 'support', 'fulfilment', 'admin'] as const;

export function forgeFor(target: ForgeryTarget, now = Math.floor(Date.now() / 1000)): Forge {
  const { kid, privateKey } = target.signingKey;
  return {
    target,
    now,
    foreign: foreignKeys(),
    validClaims: validClaims(target, now),
    sign: (claims, header = {}) => signedJwt({ alg: 'RS256', typ: 'at+jwt', kid, ...header }, claims, privateKey),
  };
}

function validClaims(target: ForgeryTarget, now: number): fc.Arbitrary<Claims> {
  return fc
    .record({
      sub: fc.oneof(
        fc.constantFrom('customer-42', 'support-1', 'admin-1'),
        fc.stringMatching(/^[a-z][a-z0-9-]{2,24}$/),
      ),
      roles: fc.subarray([...ROLES], { minLength: 1 }),
      jti: fc.uuid(),
      lifetime: fc.integer({ min: 60, max: 3600 }),
    })
    .map(({ lifetime, ...claims }) => ({
      ...claims,
      iss: target.issuer,
      aud: target.audience,
      client_id: 'orders-client',
      iat: now,
      exp: now + lifetime,
    }));
}

function foreignKeys(): ForeignKeys {
  const twice = (make: () => KeyObject) => [make(), make()];
  return {
    rsa: twice(() => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
    ec: twice(() => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey),
    ed25519: twice(() => generateKeyPairSync('ed25519').privateKey),
  };
}
