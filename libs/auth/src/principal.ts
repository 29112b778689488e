import type { JWTPayload } from 'jose';
import type { AuthSettings } from '@app/config';

/** Who sent a request, as its token says. */
export interface Principal {
  subject: string;
  /** The customer the caller acts for (AUTH_CUSTOMER_CLAIM), if the token names one. */
  customerId: string | null;
  roles: readonly string[];
  /** True when authentication is off (AUTH_DISABLED): nobody was asked who they are. */
  anonymous: boolean;
}

/** The principal of every request when authentication is off: it may do anything. */
export const ANONYMOUS: Principal = { subject: 'anonymous', customerId: null, roles: ['admin'], anonymous: true };

/** Reads a dot path (`realm_access.roles`) in the claims. */
export function claimAt(claims: JWTPayload, path: string): unknown {
  let value: unknown = claims;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** Roles come as a list (`roles`, Keycloak's `realm_access.roles`) or a space-separated string (`scope`). */
function rolesIn(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === 'string');
  return [];
}

export function principalFromClaims(claims: JWTPayload, settings: AuthSettings): Principal {
  const customerId = claimAt(claims, settings.customerClaim);
  return {
    subject: claims.sub as string,
    customerId: typeof customerId === 'string' && customerId !== '' ? customerId : null,
    roles: rolesIn(claimAt(claims, settings.rolesClaim)),
    anonymous: false,
  };
}
