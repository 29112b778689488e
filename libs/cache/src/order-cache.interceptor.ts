import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, lastValueFrom, map, Observable } from 'rxjs';
import { OrderCache } from './order-cache';

/** Caches GET /api/orders/:id and list pages; says which it was in X-Cache. */
@Injectable()
export class OrderCacheInterceptor implements NestInterceptor {
  constructor(private readonly cache: OrderCache) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const id = req.params.id as string | undefined;
    const [kind, subject] = id
      ? (['order', id.toLowerCase()] as const)
      : (['list', OrderCache.listSubject(req.query)] as const);
    // No authentication yet: every caller shares the "public" scope (see OrderCache).
    const read = this.cache.read(kind, 'public', subject, () => lastValueFrom(next.handle()));
    return from(read).pipe(
      map(({ value, hit }) => {
        res.setHeader('X-Cache', hit ? 'HIT' : 'MISS');
        return value;
      }),
    );
  }
}
