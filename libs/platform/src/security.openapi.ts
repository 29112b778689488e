import type { OpenAPIObject } from '@nestjs/swagger';
import type { AuthSettings } from '@app/config';

/** The name of the bearer-token scheme that protected operations name (ApiBearerAuth). */
export const BEARER_SCHEME = 'bearer';
const OIDC_SCHEME = 'oidc';

/**
 * How to authenticate: a bearer JWT (Swagger UI's Authorize button takes the embedded admin token),
 * and, with an issuer configured, its OpenID Connect discovery as an alternative on every operation
 * that needs a token. Operations without `security` (health, metrics) need none.
 */
export function documentSecurity(document: OpenAPIObject, auth: AuthSettings): OpenAPIObject {
  const schemes = (document.components ??= {}).securitySchemes ?? {};
  schemes[BEARER_SCHEME] = {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      `An access token (JWT) for the audience ${auth.audience}, with the caller's roles: ` +
      'customer, support, fulfilment or admin.',
  };
  if (auth.issuer) {
    schemes[OIDC_SCHEME] = {
      type: 'openIdConnect',
      openIdConnectUrl: `${auth.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
      description: 'The OpenID Connect provider that issues the access tokens.',
    };
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) {
        const security = (operation as { security?: Record<string, string[]>[] }).security;
        if (security?.some((requirement) => BEARER_SCHEME in requirement)) security.push({ [OIDC_SCHEME]: [] });
      }
    }
  }
  document.components.securitySchemes = schemes;
  return document;
}
