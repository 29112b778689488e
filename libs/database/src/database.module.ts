import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { HealthIndicatorService, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { HealthChecks, Metric, scrapeGauge } from '@app/observability';
import { dataSourceOptions, type Migrations } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './run-migrations';
import { StatementHealth } from './statement-health';

const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');
const CHECK_TIMEOUT_MS = 2_000;

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Embedded PGlite when DATABASE_URL is unset, so the same TypeORM code path serves both modes. */
@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED_POSTGRES,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.database.embedded ? EmbeddedPostgres.start(config.database.dataDir) : null,
    },
  ],
  exports: [EMBEDDED_POSTGRES],
})
class EmbeddedPostgresModule implements OnApplicationShutdown {
  constructor(@Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedPostgres | null) {}

  // Runs after TypeORM has closed its pool (modules shut down in reverse order).
  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
  }
}

/** PostgreSQL for every process: the connection, the features' migrations, a readiness check, pool metrics. */
@Module({})
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  static forRoot(migrations: Migrations): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        EmbeddedPostgresModule,
        TerminusModule,
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG, EMBEDDED_POSTGRES],
          useFactory: (config: AppConfig, embedded: EmbeddedPostgres | null) => ({
            ...dataSourceOptions(embedded?.url ?? config.database.url!, config.database.poolSize, migrations),
            // Reachability was checked before start-up (assertDatabaseAvailable): fail fast after that.
            retryAttempts: 2,
            retryDelay: 1_000,
          }),
        }),
      ],
    };
  }

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: HealthChecks,
    private readonly indicator: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
  ) {}

  // Before any request is served or any event relayed (those start after every module's init).
  async onModuleInit(): Promise<void> {
    this.health.register(() => this.indicator.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }));
    this.health.register(() => {
      const check = this.indicators.check('statements');
      const failing = StatementHealth.failing(this.dataSource).map(({ statement, since, error }) => ({
        statement,
        since: since.toISOString(),
        error,
      }));
      return failing.length ? check.down({ failing }) : check.up();
    });
    scrapeGauge(Metric.dbPoolConnections, 'Database pool connections by state', ['state'], (gauge) => {
      const pool = (this.dataSource.driver as PostgresDriver).master as PgPool | undefined;
      if (!pool) return;
      gauge.set({ state: 'total' }, pool.totalCount);
      gauge.set({ state: 'idle' }, pool.idleCount);
      gauge.set({ state: 'waiting' }, pool.waitingCount);
    });
    if (!this.config.database.migrationsRun) return;
    const { url } = this.dataSource.options as { url: string };
    const applied = await runMigrations(this.dataSource, url, this.config.database.embedded);
    if (applied.length > 0) this.logger.log(`Applied ${applied.map((m) => m.name).join(', ')}`);
  }
}
