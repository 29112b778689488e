import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { HealthChecks } from '@app/observability';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: HealthChecks,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Dependencies answer',
    description:
      'PostgreSQL, and Kafka where this process uses it: 503 if one fails. A failing Redis cache only shows as degraded.',
  })
  ready() {
    return this.health.check([...this.checks.all()]);
  }
}
