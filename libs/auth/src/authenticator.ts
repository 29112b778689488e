import { AuthenticationError } from './auth-errors';
import { ANONYMOUS, type Principal } from './principal';
import type { TokenVerifier } from './token-verifier';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** From an Authorization header to a principal: through the token verifier, or anonymous when authentication is off. */
export class Authenticator {
  constructor(private readonly verifier: TokenVerifier | null) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!this.verifier) return ANONYMOUS;
    if (authorization === undefined || !/^Bearer( |$)/i.test(authorization)) throw new AuthenticationError();
    const token = BEARER.exec(authorization)?.[1];
    if (!token) throw new AuthenticationError('The Authorization header does not hold a bearer token');
    return this.verifier.verify(token);
  }
}
