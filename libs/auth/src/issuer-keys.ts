import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { IssuerUnavailableError } from './auth-errors';

/** An unknown `kid` refetches the key set at most this often: rotation is picked up, a flood of made-up kids is not amplified. */
const REFETCH_COOLDOWN_MS = 1_000;
const FETCH_TIMEOUT_MS = 3_000;

/**
 * The issuer's signing keys: its JWKS (from AUTH_JWKS_URL, or found by OpenID Connect discovery on
 * first use), cached by jose and fetched again when a token names a key it has not seen.
 */
export function issuerKeys(issuer: string, jwksUrl: string | undefined): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    keys ??= resolveKeys(issuer, jwksUrl).catch((error: unknown) => {
      keys = undefined; // try discovery again with the next request
      throw error;
    });
    return (await keys)(header, token);
  };
}

async function resolveKeys(issuer: string, jwksUrl: string | undefined): Promise<JWTVerifyGetKey> {
  const url = new URL(jwksUrl ?? (await discoverJwksUrl(issuer)));
  return createRemoteJWKSet(url, { cooldownDuration: REFETCH_COOLDOWN_MS, timeoutDuration: FETCH_TIMEOUT_MS });
}

async function discoverJwksUrl(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let metadata: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    metadata = (await response.json()) as typeof metadata;
  } catch (error) {
    throw new IssuerUnavailableError(`OpenID Connect discovery at ${url} failed: ${(error as Error).message}`);
  }
  // OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer it was asked for.
  if (metadata.issuer !== issuer || typeof metadata.jwks_uri !== 'string') {
    throw new IssuerUnavailableError(`${url} does not describe the issuer ${issuer} (issuer or jwks_uri missing)`);
  }
  return metadata.jwks_uri;
}
