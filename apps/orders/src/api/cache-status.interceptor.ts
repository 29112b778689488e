import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';
import type { CacheRead } from '@app/orders';

/** Answers a read made through the read cache with its value, and says in X-Cache whether it was a hit. */
@Injectable()
export class CacheStatusInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler<CacheRead<unknown>>): Observable<unknown> {
    const res = ctx.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map(({ value, hit }) => {
        res.header('X-Cache', hit ? 'HIT' : 'MISS');
        return value;
      }),
    );
  }
}
