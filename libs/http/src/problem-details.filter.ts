import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { assignRequestId } from '@app/observability';
import { type ErrorWithHeaders, problem, type Problem, type ProblemDetails, type ProblemMapper } from './problem';
import { RateLimitExceeded } from './rate-limit/rate-limit-exceeded.error';
import { RequestValidationError } from './request-validation.error';

/** The error maps features register (each maps its own domain errors), consulted in order. */
@Injectable()
export class ProblemMappers {
  private readonly mappers: ProblemMapper[] = [];

  register(mapper: ProblemMapper): void {
    this.mappers.push(mapper);
  }

  toProblem(error: unknown): Problem {
    for (const map of this.mappers) {
      const mapped = map(error);
      if (mapped) return mapped;
    }
    return genericProblem(error);
  }
}

/** Problems every HTTP edge knows: validation, rate limits, HTTP exceptions; anything else is a 500 without internals. */
export function genericProblem(error: unknown): Problem {
  if (error instanceof RateLimitExceeded) {
    return problem(429, 'rate-limited', 'Too many requests', error.message, { retryAfter: error.state.resetSeconds });
  }
  if (error instanceof RequestValidationError) {
    return problem(400, 'validation', 'Request validation failed', error.message, { errors: error.errors });
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const detail =
      typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    const extensions = typeof response === 'object' && 'info' in response ? { checks: response } : {};
    return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, ...extensions };
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'The server failed to handle the request; it has been logged with the request id.',
  };
}

@Catch()
@Injectable()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly mappers: ProblemMappers) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: unknown }>();
    const res = http.getResponse<Response>();
    const body: ProblemDetails = {
      ...this.mappers.toProblem(error),
      instance: req.originalUrl,
      requestId: requestIdOf(req, res),
    };
    if (body.status >= 500) this.logger.error({ err: error, requestId: body.requestId }, 'request failed');
    if (res.headersSent) return;
    // A problem that says when to come back (an outage, saturation) says it in the header too.
    if (typeof body.retryAfter === 'number') res.setHeader('Retry-After', String(body.retryAfter));
    for (const [name, value] of Object.entries(responseHeadersOf(error))) res.setHeader(name, value);
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }
}

/** Errors may carry headers of their own (a WWW-Authenticate challenge): see ErrorWithHeaders. */
function responseHeadersOf(error: unknown): Record<string, string> {
  return (error as Partial<ErrorWithHeaders> | null)?.responseHeaders ?? {};
}

/**
 * The logger's middleware assigns request ids, but the edge's own middleware (body reading, query
 * checks) runs before it, so a request it rejects has none yet: it gets one here, header included.
 */
function requestIdOf(req: Request & { id?: unknown }, res: Response): string {
  if (req.id !== undefined) return String(req.id);
  return res.headersSent ? '' : assignRequestId(req, res);
}
