import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { type AppConfig } from '@app/config/app-config';
import { ConfigModule } from '@app/config/config.module';
import { DatabaseModule } from '@app/database/database.module';
import { LoggingModule } from '@app/observability/logging.module';
import { MetricsModule } from '@app/observability/metrics.module';
import { HealthController } from './health.controller';

/** What every process has, whatever its roles: configuration, logs, database, health. */
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [ConfigModule.forRoot(config), LoggingModule, DatabaseModule, MetricsModule, TerminusModule],
      controllers: [HealthController],
    };
  }
}
