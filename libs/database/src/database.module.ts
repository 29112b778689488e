import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config/app-config';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';

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
      useFactory: (config: AppConfig, embedded: EmbeddedPostgres | null) => {
        const { url, poolSize, migrationsRun } = config.database;
        return dataSourceOptions(embedded?.url ?? url!, poolSize, migrationsRun);
      },
    }),
  ],
})
export class DatabaseModule {}
