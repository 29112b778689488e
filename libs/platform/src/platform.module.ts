import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { AuthModule } from '@app/auth';
import { type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule, type Migrations } from '@app/database';
import { HttpEdgeModule } from '@app/http';
import { HealthChecksModule, LoggingModule, MetricsModule } from '@app/observability';
import { DatabaseProblems } from './database-problems';
import { HealthController } from './health.controller';
import { ManagementServer } from './management-server';
import { MetricsController } from './metrics.controller';
import { ShutdownDrain } from './shutdown-drain';
import { ShutdownNotice } from './shutdown-notice';

/** What every process has, whatever its roles: configuration, logs, database, metrics, health, the HTTP edge. */
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig, migrations: Migrations): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        MetricsModule.forRoot(MetricsController),
        HealthChecksModule,
        DatabaseModule.forRoot(migrations),
        HttpEdgeModule,
        AuthModule.forRoot(config),
        TerminusModule,
      ],
      controllers: [HealthController],
      providers: [ShutdownNotice, ShutdownDrain, DatabaseProblems, ManagementServer],
    };
  }
}
