import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '@app/auth';
import { HealthChecks } from '@app/observability';
import { healthReportSchema } from './health-report.openapi';
import { PlatformProblems } from './platform-problems.openapi';

@ApiTags('health')
@Public()
@PlatformProblems(400, 404, 413, 415, 417, 431, 500)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: HealthChecks,
  ) {}

  @Get('live')
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'The process is up',
    description: 'Answers as long as the process serves HTTP; it checks no dependency.',
  })
  @ApiOkResponse({
    description: 'Alive',
    schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
  })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  // Documented here: terminus' own description has the 503 as plain JSON, but it is a problem.
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ description: 'Every dependency answers', schema: healthReportSchema(['ok', 'degraded']) })
  @PlatformProblems(503)
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Dependencies answer',
    description:
      'PostgreSQL, and Kafka where this process uses it: 503 if one fails. A failing Redis cache only shows as degraded.',
  })
  ready() {
    return this.health.check([...this.checks.all()]);
  }
}
