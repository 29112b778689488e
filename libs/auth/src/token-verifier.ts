import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AuthSettings } from '@app/config';
import { ACCEPTED_ALGORITHMS, CLOCK_TOLERANCE_SECONDS } from './accepted-algorithms';
import { AuthenticationError, IssuerUnavailableError } from './auth-errors';
import { type Principal, principalFromClaims } from './principal';

/** Verified tokens are remembered this long at most (never past their expiry), and this many at once. */
const REMEMBER_MS = 60_000;
const REMEMBERED_TOKENS = 10_000;

/**
 * Turns a bearer token into a principal, or says why it cannot. A token seen before is not verified
 * again until REMEMBER_MS has passed: a signature check costs more than the cached read it guards.
 */
export class TokenVerifier {
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly issuer: string,
    private readonly settings: AuthSettings,
  ) {}

  async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known && known.until > now) return known.principal;
    this.verified.delete(token);

    const { payload } = await jwtVerify(token, this.keys, {
      issuer: this.issuer,
      audience: this.settings.audience,
      algorithms: ACCEPTED_ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp'],
    }).catch((error: unknown) => {
      throw rejection(error);
    });
    const principal = principalFromClaims(payload, this.settings);
    if (this.verified.size >= REMEMBERED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, until: Math.min(now + REMEMBER_MS, (payload.exp as number) * 1000) });
    return principal;
  }
}

/** What the client is told about a token that failed (RFC 6750 error_description: no quotes, no internals). */
function rejection(error: unknown): Error {
  if (error instanceof IssuerUnavailableError) return error;
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new IssuerUnavailableError(`The token issuer's keys cannot be fetched: ${error.message}`);
  }
  if (error instanceof errors.JWTExpired) return new AuthenticationError('The token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim: Record<string, string> = {
      nbf: 'The token is not valid yet',
      iat: 'The token is not valid yet',
      iss: 'The token comes from another issuer',
      aud: 'The token is meant for another audience',
      sub: 'The token names no subject',
      exp: 'The token has no expiry',
    };
    return new AuthenticationError(claim[error.claim] ?? 'The token claims are invalid');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new AuthenticationError('The token is not signed with an algorithm this API accepts');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new AuthenticationError('The token is signed with a key the issuer does not publish');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new AuthenticationError('The token signature is invalid');
  if (error instanceof errors.JOSEError) return new AuthenticationError('The token is malformed');
  // A JWKS endpoint that is down surfaces as a fetch error.
  return new IssuerUnavailableError(`The token issuer's keys cannot be fetched: ${(error as Error).message}`);
}
