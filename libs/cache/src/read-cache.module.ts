import { CacheModule } from '@nestjs/cache-manager';
import { Module, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { HealthChecks } from '@app/observability';
import { createCacheStore } from './cache-store.factory';
import { ResilientCache } from './resilient-cache';

/** The read cache store (Redis or memory) behind ResilientCache; reported in readiness as degraded only. */
@Module({
  imports: [
    TerminusModule,
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // keyv ships CommonJS and ESM typings of one class; TypeScript sees two types, the runtime one store.
        stores: [createCacheStore(config) as never],
        ttl: config.cache.ttlSeconds * 1000,
      }),
    }),
  ],
  providers: [ResilientCache],
  exports: [ResilientCache],
})
export class ReadCacheModule implements OnModuleInit {
  constructor(
    private readonly cache: ResilientCache,
    private readonly health: HealthChecks,
    private readonly indicator: HealthIndicatorService,
  ) {}

  /** Redis accelerates reads; without it every request is served from PostgreSQL, so it never fails readiness. */
  onModuleInit(): void {
    this.health.register(async () => {
      const check = this.indicator.check('cache');
      return (await this.cache.ping())
        ? check.up()
        : check.up({ degraded: true, message: this.cache.degraded ?? 'unavailable' });
    });
  }
}
