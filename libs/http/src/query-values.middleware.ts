import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { findUnacceptableValues } from './client-values';
import { RequestValidationError } from './request-validation.error';

/**
 * Query strings get the checks JSON bodies get after parsing: `%00` decodes to NUL, which reaches
 * PostgreSQL as a filter value, and a parameter named `constructor` is otherwise dropped silently.
 */
@Injectable()
export class QueryValuesMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const unacceptable = findUnacceptableValues(req.query);
    next(unacceptable.length ? new RequestValidationError(unacceptable) : undefined);
  }
}
