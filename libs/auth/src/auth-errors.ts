import type { AppConfig } from '@app/config';
import type { ErrorWithHeaders } from '@app/http';

/** RFC 6750 challenges: the realm, and the error a client can act upon. */
const REALM = 'realm="orders"';

/** No usable credentials: no token, another scheme, or a token that does not verify. */
export class AuthenticationError extends Error implements ErrorWithHeaders {
  readonly responseHeaders: Record<string, string>;

  /** `reason` undefined: the request carried no Bearer token at all (RFC 6750 3.1: no error code then). */
  constructor(reason?: string) {
    super(reason ?? 'This endpoint needs a Bearer token in the Authorization header');
    this.responseHeaders = {
      'WWW-Authenticate': reason
        ? `Bearer ${REALM}, error="invalid_token", error_description="${reason}"`
        : `Bearer ${REALM}`,
    };
  }
}

/** A valid token whose roles do not allow the operation. */
export class AccessDeniedError extends Error implements ErrorWithHeaders {
  readonly responseHeaders = { 'WWW-Authenticate': `Bearer ${REALM}, error="insufficient_scope"` };
}

/** The issuer's keys cannot be fetched: not the client's fault, so not a 401. */
export class IssuerUnavailableError extends Error {}

/** Real services and nobody configured to vouch for callers: the API does not start open by accident. */
export function assertAuthConfigured(config: AppConfig): void {
  // A process without the API serves health and metrics only, which need no token.
  if (config.auth.mode === 'unconfigured' && config.roles.includes('api')) throw new AuthNotConfiguredError();
}

export class AuthNotConfiguredError extends Error {
  constructor() {
    super(
      'No token issuer configured: set AUTH_ISSUER (and AUTH_AUDIENCE) to your OpenID Connect provider, ' +
        'or AUTH_DISABLED=true to serve the API without authentication.',
    );
  }
}
