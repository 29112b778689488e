import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import { closeWhenAnswered } from './client-error.handler';
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
  if (isRouterRefusal(error)) {
    return {
      type: 'about:blank',
      title: STATUS_CODES[error.statusCode] ?? 'Error',
      status: error.statusCode,
      detail: error.message,
    };
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'The server failed to handle the request; it has been logged with the request id.',
  };
}

/** What the HTTP server refuses before any route runs (a body over the limit, a malformed URL): Fastify's FST_ errors. */
function isRouterRefusal(error: unknown): error is Error & { statusCode: number } {
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  return (
    error instanceof Error &&
    typeof code === 'string' &&
    code.startsWith('FST_') &&
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500
  );
}

@Catch()
@Injectable()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly mappers: ProblemMappers) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const res = http.getResponse<FastifyReply>();
    const problem = this.mappers.toProblem(error);
    if (problem.status >= 500) this.logger.error({ err: error, requestId: req.id }, 'request failed');
    if (res.raw.headersSent) return;
    res.headers(responseHeadersOf(error));
    replyWithProblem(req, res, problem);
  }
}

/**
 * Sends a problem about this request: its target and id included, and Retry-After when it says when
 * to come back. A request refused before its body was read in full (too large, or of another media
 * type) is the connection's last: what is left of the body is dropped, not waited for.
 */
export function replyWithProblem(req: FastifyRequest, res: FastifyReply, problem: Problem): void {
  const body: ProblemDetails = { ...problem, instance: req.originalUrl, requestId: req.id };
  if (typeof body.retryAfter === 'number') res.header('Retry-After', String(body.retryAfter));
  if (hasUnreadBody(req.raw)) closeWhenAnswered(res.raw);
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
}

/** A request whose body has not arrived in full (a request without one may not be complete yet either). */
function hasUnreadBody(req: IncomingMessage): boolean {
  const declared = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  return declared && !req.complete;
}

/** Errors may carry headers of their own (a WWW-Authenticate challenge): see ErrorWithHeaders. */
function responseHeadersOf(error: unknown): Record<string, string> {
  return (error as Partial<ErrorWithHeaders> | null)?.responseHeaders ?? {};
}
