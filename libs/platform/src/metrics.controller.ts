import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { register } from 'prom-client';
import { Public } from '@app/auth';
import { exposedMetrics } from '@app/observability';
import { PlatformProblems } from './platform-problems.openapi';

/** /metrics as Prometheus serves it, described for the OpenAPI document. */
@ApiTags('metrics')
@Public()
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics of this instance (all its API_WORKERS together)',
    description: 'The Prometheus text exposition format: HTTP, order, outbox, consumer and Node.js runtime metrics.',
  })
  @ApiOkResponse({
    description: 'Every metric of the process',
    content: { 'text/plain': { schema: { type: 'string', example: 'http_requests_total{method="GET"} 3' } } },
  })
  @PlatformProblems(400, 404, 413, 415, 417, 431, 500)
  override index(@Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    response.header('Content-Type', register.contentType);
    return exposedMetrics();
  }
}
