import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import {
  IdempotencyKeyReuseError,
  IllegalTransitionError,
  InvalidOrderError,
  OrderNotEditableError,
  OrderNotFoundError,
  VersionMismatchError,
} from '@app/orders/domain/order-errors';
import { InvalidCursorError } from '@app/orders/order-cursor';
import { RequestValidationError } from './request-validation.error';

/** RFC 9457 problem details; `type` names the kind of problem, extensions carry its specifics. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

export interface ProblemDetails extends Problem {
  instance: string;
  requestId: string;
}

const problem = (status: number, slug: string, title: string, detail: string, extensions: object = {}): Problem => ({
  type: `urn:problem:orders:${slug}`,
  title,
  status,
  detail,
  ...extensions,
});

/** Maps domain errors to HTTP in one place; anything unexpected becomes a 500 without internals. */
export function toProblem(error: unknown): Problem {
  if (error instanceof RequestValidationError) {
    return problem(400, 'validation', 'Request validation failed', error.message, { errors: error.errors });
  }
  if (error instanceof InvalidCursorError) return problem(400, 'invalid-cursor', 'Invalid cursor', error.message);
  if (error instanceof OrderNotFoundError) return problem(404, 'order-not-found', 'Order not found', error.message);
  if (error instanceof IllegalTransitionError) {
    return problem(409, 'illegal-transition', 'Illegal status transition', error.message, {
      currentStatus: error.current,
      requestedStatus: error.requested,
    });
  }
  if (error instanceof OrderNotEditableError) {
    return problem(409, 'order-not-editable', 'Order can no longer be changed', error.message, {
      currentStatus: error.current,
    });
  }
  if (error instanceof VersionMismatchError) {
    return problem(412, 'version-mismatch', 'Order was changed by someone else', error.message, {
      currentVersion: error.actual,
    });
  }
  if (error instanceof IdempotencyKeyReuseError) {
    return problem(422, 'idempotency-key-reused', 'Idempotency key reused', error.message);
  }
  if (error instanceof InvalidOrderError) return problem(422, 'invalid-order', 'Invalid order', error.message);
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
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: unknown }>();
    const res = http.getResponse<Response>();
    const body: ProblemDetails = { ...toProblem(error), instance: req.originalUrl, requestId: String(req.id ?? '') };
    if (body.status >= 500) this.logger.error({ err: error, requestId: body.requestId }, 'request failed');
    if (res.headersSent) return;
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }
}
