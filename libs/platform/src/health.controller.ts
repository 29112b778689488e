import { Controller, Get } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Kafka } from 'kafkajs';
import { ResilientCache } from '@app/cache/resilient-cache';

const CHECK_TIMEOUT_MS = 2_000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly modules: ModuleRef,
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
    const checks: HealthIndicatorFunction[] = [
      () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
    ];
    const kafka = this.optional(Kafka);
    if (kafka) checks.push(() => this.kafkaCheck(kafka));
    const cache = this.optional(ResilientCache);
    if (cache) checks.push(() => this.cacheCheck(cache));
    return this.health.check(checks);
  }

  /** Roles decide which dependencies a process has (the worker has Kafka, the API a cache). */
  private optional<T>(token: abstract new (...args: never[]) => T): T | null {
    try {
      return this.modules.get(token, { strict: false });
    } catch {
      return null;
    }
  }

  private async kafkaCheck(kafka: Kafka) {
    const check = this.indicator.check('kafka');
    const admin = kafka.admin();
    try {
      await Promise.race([
        admin.connect().then(() => admin.describeCluster()),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('no answer within 2 s')), CHECK_TIMEOUT_MS).unref(),
        ),
      ]);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    } finally {
      void admin.disconnect().catch(() => undefined);
    }
  }

  /** Redis accelerates reads; without it every request is served from PostgreSQL, so it never fails readiness. */
  private async cacheCheck(cache: ResilientCache) {
    const check = this.indicator.check('cache');
    return (await cache.ping()) ? check.up() : check.up({ degraded: true, message: cache.degraded ?? 'unavailable' });
  }
}
