import { Global, Injectable, Module } from '@nestjs/common';
import type { HealthIndicatorFunction } from '@nestjs/terminus';

/**
 * The readiness checks of this process. Each module that brings a dependency (database, Kafka,
 * cache) registers its own check, so readiness covers exactly what the process's roles use.
 */
@Injectable()
export class HealthChecks {
  private readonly checks: HealthIndicatorFunction[] = [];

  register(check: HealthIndicatorFunction): void {
    this.checks.push(check);
  }

  all(): readonly HealthIndicatorFunction[] {
    return this.checks;
  }
}

@Global()
@Module({ providers: [HealthChecks], exports: [HealthChecks] })
export class HealthChecksModule {}
