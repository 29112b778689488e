import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { HttpMetricsHook } from '@app/observability';
import { findRepeatedParameters, findUnacceptableValues } from './client-values';
import { acceptJsonBodies } from './json-body.parser';
import { ProblemDetailsFilter, ProblemMappers } from './problem-details.filter';
import { RequestValidationError } from './request-validation.error';
import { createValidationPipe } from './validation.pipe';

/** What the edge adds to the HTTP server itself, before any route: request metrics, JSON bodies, query checks. */
@Injectable()
export class HttpEdge {
  constructor(
    private readonly metrics: HttpMetricsHook,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  install(server: FastifyInstance): void {
    this.metrics.register(server);
    acceptJsonBodies(server, this.config.bodyLimit);
    // Query strings get the checks JSON bodies get after parsing: `%00` decodes to NUL, which reaches
    // PostgreSQL as a filter value, and a parameter named `constructor` is otherwise dropped silently.
    // A parameter given twice is refused by name as well.
    server.addHook('preValidation', (request, _reply, done) => {
      const unacceptable = [...findRepeatedParameters(request.query), ...findUnacceptableValues(request.query)];
      done(unacceptable.length ? new RequestValidationError(unacceptable) : undefined);
    });
  }
}

/** The HTTP edge every process shares: query and JSON body checks, validation, problem+json errors, request metrics. */
@Global()
@Module({
  providers: [
    ProblemMappers,
    HttpMetricsHook,
    HttpEdge,
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
  exports: [ProblemMappers, HttpEdge],
})
export class HttpEdgeModule {}
