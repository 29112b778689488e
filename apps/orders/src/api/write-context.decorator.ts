import { createParamDecorator, ExecutionContext, PreconditionFailedException } from '@nestjs/common';
import type { Request } from 'express';
import type { WriteContext } from '@app/orders';

/** The version an If-Match header names; undefined when absent or `*`. */
function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*"(\d+)"\s*$/.exec(header);
  // A tag this API never issued can never match the current one.
  if (!match) throw new PreconditionFailedException('If-Match must be an ETag this API returned, such as "3"');
  return Number(match[1]);
}

/** Who is writing: the request id (carried into the events) and the version named by If-Match. */
export const WriteCtx = createParamDecorator((_data: unknown, ctx: ExecutionContext): WriteContext => {
  const req = ctx.switchToHttp().getRequest<Request & { id?: unknown }>();
  return {
    correlationId: req.id === undefined ? null : String(req.id),
    expectedVersion: ifMatchVersion(req.headers['if-match']),
  };
});
