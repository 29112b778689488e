import { AuthenticationError } from './auth-errors';
import { ANONYMOUS, type Principal } from './principal';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** Turns a bearer token into a principal (a TokenVerifier's verify), or refuses it. */
type Verify = (token: string) => Promise<Principal>;

/** From an Authorization header to a principal: through `verify`, or anonymous when authentication is off (null). */
export class Authenticator {
  constructor(private readonly verify: Verify | null) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!this.verify) return ANONYMOUS;
    const header = authorization?.trim() ?? '';
    // No credentials at all (no header, another scheme, a bare "Bearer"): RFC 6750 3.1, the challenge names no error.
    if (!/^Bearer +\S/i.test(header)) throw new AuthenticationError();
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new AuthenticationError('The Authorization header does not hold a bearer token');
    return this.verify(token);
  }
}
