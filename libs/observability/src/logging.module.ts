import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { assignRequestId } from './request-id';

/** Structured JSON logs; every HTTP log line carries the request id. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: assignRequestId,
          customProps: (req) => ({ requestId: req.id }),
          // Probes and scrapes would drown the useful lines. Above info, no request line would be
          // written anyway: skip the per-request bookkeeping too.
          autoLogging: ['trace', 'debug', 'info'].includes(config.logLevel)
            ? { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') }
            : false,
          serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }) },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
