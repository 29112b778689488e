import { Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { HttpMetricsMiddleware } from '@app/observability';
import { JsonBodyMiddleware } from './json-body.middleware';
import { ProblemDetailsFilter, ProblemMappers } from './problem-details.filter';
import { QueryValuesMiddleware } from './query-values.middleware';
import { createValidationPipe } from './validation.pipe';

/** The HTTP edge every process shares: query and JSON body checks, validation, problem+json errors, request metrics. */
@Global()
@Module({
  providers: [
    ProblemMappers,
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
  exports: [ProblemMappers],
})
export class HttpEdgeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(HttpMetricsMiddleware, QueryValuesMiddleware, JsonBodyMiddleware)
      .forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
