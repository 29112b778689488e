import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from './principal';

export const PUBLIC_ROUTE = 'auth:public';
export const REQUIRED_ROLES = 'auth:roles';

/** No token needed (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The caller needs at least one of these roles, or gets 403. Routes without it need a valid token only. */
export const RequireRoles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The request's principal, set by the AuthGuard. */
export interface AuthenticatedRequest {
  principal?: Principal;
}

export const principalOf = (context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('No principal: the route is public, or the AuthGuard did not run');
  return principal;
};

/** The roles a route names in @RequireRoles(), if any. */
export const requiredRolesOf = (context: ExecutionContext): readonly string[] | undefined =>
  Reflect.getMetadata(REQUIRED_ROLES, context.getHandler()) as string[] | undefined;
