import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimitBudgetName } from '@app/config';
import { RATE_LIMIT_BUDGET } from './rate-limit.decorator';
import { RateLimitExceeded } from './rate-limit-exceeded.error';
import { rateLimitHeaders } from './rate-limit-headers';
import { rateLimitKey } from './rate-limit-key';
import { RateLimiters } from './rate-limiters';

/**
 * Spends one request of the caller's budget for the route, and says what is left on every response
 * of a limited route. Runs after authentication, so an authenticated caller is counted as itself
 * wherever it calls from, and anyone else by client address.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiters: RateLimiters,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const budget = this.reflector.getAllAndOverride<RateLimitBudgetName | undefined>(RATE_LIMIT_BUDGET, [
      context.getHandler(),
      context.getClass(),
    ]);
    const http = context.switchToHttp();
    const verdict = await this.limiters.consume(budget ?? 'default', rateLimitKey(http.getRequest<FastifyRequest>()));
    if (!verdict) return true;
    http.getResponse<FastifyReply>().headers(rateLimitHeaders(verdict.state));
    if (!verdict.allowed) throw new RateLimitExceeded(verdict.state);
    return true;
  }
}
