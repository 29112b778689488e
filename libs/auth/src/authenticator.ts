import { AuthenticationError } from './auth-errors';
import { ANONYMOUS, type Principal } from './principal';
import type { TokenVerifier } from './token-verifier';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** From an Authorization header to a principal: through the token verifier, or anonymous when authentication is off. */
export class Authenticator {
  constructor(private readonly verifier: TokenVerifier | null) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!this.verifier) return ANONYMOUS;
    const header = authorization?.trim() ?? '';
    // No credentials at all (no header, another scheme, a bare "Bearer"): RFC 6750 3.1, the challenge names no error.
    if (!/^Bearer +\S/i.test(header)) throw new AuthenticationError();
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new AuthenticationError('The Authorization header does not hold a bearer token');
    return this.verifier.verify(token);
  }
}
