import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AuthSettings } from '@app/config';

/** The issuer name of tokens the API signs itself (embedded mode). */
export const SELF_ISSUER = 'urn:orders:self-issued';
const ALGORITHM = 'ES256';

type SigningKey = Parameters<SignJWT['sign']>[0];

export interface TokenRequest {
  /** Defaults to the customer id, else the first role. */
  subject?: string;
  roles: readonly string[];
  customerId?: string;
  ttlSeconds: number;
}

/**
 * Embedded mode's own token issuer: one ES256 key kept in the data directory (created on first use,
 * readable by its owner only), so tokens survive restarts and `npm run token` signs with the same key.
 */
export class SelfIssuer {
  private constructor(
    private readonly privateKey: SigningKey,
    private readonly kid: string,
    readonly keys: JWTVerifyGetKey,
    private readonly settings: AuthSettings,
  ) {}

  static async open(dataDir: string, settings: AuthSettings): Promise<SelfIssuer> {
    const jwk = await loadOrCreateKey(join(resolve(dataDir), 'auth'));
    const { d: _private, ...publicJwk } = jwk;
    const privateKey = await importJWK(jwk, ALGORITHM);
    return new SelfIssuer(privateKey, jwk.kid as string, createLocalJWKSet({ keys: [publicJwk] }), settings);
  }

  /** A signed access token with the roles and the customer where AUTH_ROLES_CLAIM and AUTH_CUSTOMER_CLAIM look. */
  mint(request: TokenRequest): Promise<string> {
    const { rolesClaim, customerClaim, audience } = this.settings;
    const subject =
      customerClaim === 'sub' && request.customerId ? request.customerId : (request.subject ?? request.roles[0]);
    let claims = withClaim({}, rolesClaim, [...request.roles]);
    if (request.customerId && customerClaim !== 'sub') claims = withClaim(claims, customerClaim, request.customerId);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, kid: this.kid, typ: 'at+jwt' })
      .setIssuer(SELF_ISSUER)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(`${request.ttlSeconds}s`)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }
}

/** The claims with `value` set at a dot path (`realm_access.roles`). */
function withClaim(claims: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  const inner = (claims[head] ?? {}) as Record<string, unknown>;
  return { ...claims, [head]: rest.length ? withClaim(inner, rest.join('.'), value) : value };
}

async function loadOrCreateKey(directory: string): Promise<JWK> {
  const file = join(directory, 'signing-key.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: ALGORITHM, use: 'sig' };
  await mkdir(directory, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' });
    return jwk;
  } catch (error) {
    // Another process created it first: use theirs, so both sign with one key.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return JSON.parse(await readFile(file, 'utf8')) as JWK;
    throw error;
  }
}
