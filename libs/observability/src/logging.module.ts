import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { loggerParams } from './app-logger';

/** Request logging (pino-http): every HTTP log line carries the request id. */
@Module({
  imports: [
    LoggerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => loggerParams(config) }),
  ],
})
export class LoggingModule {}
