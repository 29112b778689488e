import { DynamicModule, INestApplication, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@app/config/app-config';
import { JsonBodyMiddleware } from '@app/http/json-body.middleware';
import { HttpMetricsMiddleware } from '@app/observability/http-metrics.middleware';
import { ProblemDetailsFilter } from '@app/http/problem-details.filter';
import { createValidationPipe } from '@app/http/validation.pipe';
import { kafkaConsumerOptions } from '@app/messaging/kafka/kafka-consumer-options';
import { PlatformModule } from './platform.module';
import { setUpSwagger } from './swagger';

/** The HTTP edge every process shares: JSON bodies, validation, problem+json errors. */
@Module({
  providers: [
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
class HttpEdgeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware, JsonBodyMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}

/** Builds the application for the given feature modules, ready to listen (or to be tested). */
export async function createHttpApp(
  config: AppConfig,
  features: DynamicModule['imports'] = [],
): Promise<INestApplication> {
  @Module({ imports: [PlatformModule.forRoot(config), HttpEdgeModule, ...features] })
  class AppModule {}

  const app = await NestFactory.create(AppModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  // ETags are the order versions (set by the orders API), not hashes of the body.
  const express = app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void };
  express.set('etag', false);
  express.set('x-powered-by', false);
  app.enableShutdownHooks();
  if (config.roles.includes('api')) setUpSwagger(app);
  if (config.roles.includes('worker') && config.kafka.brokers) {
    app.connectMicroservice(kafkaConsumerOptions(config, config.kafka.brokers));
  }
  return app;
}

/** Initializes (topics, migrations), starts the Kafka consumer if any, then serves HTTP. */
export async function listen(app: INestApplication, port: number, host: string): Promise<void> {
  await app.init();
  await app.startAllMicroservices();
  await app.listen(port, host);
}
