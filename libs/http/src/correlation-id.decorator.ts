import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The id of the current request (see request-id.ts): logged, returned and carried into events. */
export const CorrelationId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | null => {
  const id = ctx.switchToHttp().getRequest<Request & { id?: unknown }>().id;
  return id === undefined ? null : String(id);
});
