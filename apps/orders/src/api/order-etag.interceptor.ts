import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';

const etagFor = (version: number): string => `"${version}"`;

/** Puts the order's version in ETag and answers a matching If-None-Match on GET with 304. */
@Injectable()
export class OrderEtagInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    const res = ctx.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: { version?: unknown }) => {
        if (typeof body?.version !== 'number') return body;
        const etag = etagFor(body.version);
        res.header('ETag', etag);
        const ifNoneMatch = req.headers['if-none-match'];
        // Weak comparison (RFC 9110, 13.1.2); `*` matches any current order.
        const tags = ifNoneMatch?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
        if (req.method === 'GET' && tags?.some((tag) => tag === etag || tag === '*')) {
          res.status(HttpStatus.NOT_MODIFIED);
          return undefined;
        }
        return body;
      }),
    );
  }
}
