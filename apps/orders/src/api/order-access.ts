import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { AccessDeniedError, type Principal, principalOf, RequireRoles, requiredRolesOf } from '@app/auth';
import type { Actor, CustomerScope } from '@app/orders';
import { BEARER_SCHEME } from '@app/platform';
import { ApiProblems } from './api-problems.decorator';

/** The roles the orders API knows, most privileged first: a change is recorded under the first one that allows it. */
export const ORDER_ROLES = ['admin', 'support', 'fulfilment', 'customer'] as const;
export type OrderRole = (typeof ORDER_ROLES)[number];

/** Who may call a route: a token with one of these roles (403 otherwise), documented in the OpenAPI operation. */
export const Allow = (...roles: OrderRole[]) =>
  applyDecorators(RequireRoles(...roles), ApiBearerAuth(BEARER_SCHEME), ApiProblems(401, 403));

/** The caller of an orders route: who acts, and which customer's orders it may see and change. */
export interface OrderCaller {
  actor: Actor;
  customerScope: CustomerScope;
}

export function orderCaller(principal: Principal, allowed: readonly string[]): OrderCaller {
  const role = ORDER_ROLES.find((candidate) => allowed.includes(candidate) && principal.roles.includes(candidate));
  if (!role) throw new AccessDeniedError(`This operation needs one of the roles: ${allowed.join(', ')}`);
  const actor = { subject: principal.subject, role };
  if (role !== 'customer') return { actor, customerScope: null };
  if (!principal.customerId) throw new AccessDeniedError('The token names no customer to act for');
  return { actor, customerScope: principal.customerId };
}

export const callerOf = (context: ExecutionContext): OrderCaller =>
  orderCaller(principalOf(context), requiredRolesOf(context) ?? ORDER_ROLES);

/** The route's OrderCaller (the route must name its roles with @Allow). */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => callerOf(context));
