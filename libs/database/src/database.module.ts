import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config/app-config';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './run-migrations';

const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

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

@Module({
  imports: [
    EmbeddedPostgresModule,
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG, EMBEDDED_POSTGRES],
      useFactory: (config: AppConfig, embedded: EmbeddedPostgres | null) =>
        dataSourceOptions(embedded?.url ?? config.database.url!, config.database.poolSize),
    }),
  ],
})
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  // Before any request is served or any event relayed (those start after every module's init).
  async onModuleInit(): Promise<void> {
    if (!this.config.database.migrationsRun) return;
    const { url } = this.dataSource.options as { url: string };
    const applied = await runMigrations(this.dataSource, url, this.config.database.embedded);
    if (applied.length > 0) this.logger.log(`Applied ${applied.map((m) => m.name).join(', ')}`);
  }
}
