import { createParamDecorator, ExecutionContext, PreconditionFailedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { WriteContext } from '@app/orders';
import { parseIfMatch } from './if-match';
import { callerOf } from './order-access';

/** The versions an If-Match header allows; undefined when absent or `*`. */
function ifMatchVersions(header: string | undefined): number[] | undefined {
  if (header === undefined) return undefined;
  const ifMatch = parseIfMatch(header);
  // A header that is not a list of ETags names no version: nothing can match it.
  if (!ifMatch) throw new PreconditionFailedException('If-Match must be * or a list of ETags, such as "3" or "2", "3"');
  return ifMatch.any ? undefined : ifMatch.versions;
}

/** Who is writing (carried into the events), its scope, the request id and the versions If-Match allows. */
export const WriteCtx = createParamDecorator((_data: unknown, ctx: ExecutionContext): WriteContext => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  return {
    ...callerOf(ctx),
    correlationId: req.id,
    expectedVersions: ifMatchVersions(req.headers['if-match']),
  };
});
