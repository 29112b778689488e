import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { Logger } from 'nestjs-pino';
import type { AppConfig } from '@app/config';
import type { Migrations } from '@app/database';
import { answerClientErrorsWithProblems } from '@app/http';
import { createAppLogger } from '@app/observability';
import { enableGracefulShutdown } from './graceful-shutdown';
import { PlatformModule } from './platform.module';
import { setUpSwagger } from './swagger';

/** What a process runs: its feature modules, their migrations, and any message transports. */
export interface AppComposition {
  modules: DynamicModule['imports'];
  migrations: Migrations;
  /** Transports to connect (e.g. a Kafka consumer), started before HTTP listens. */
  microservices?: MicroserviceOptions[];
  /** Serve Swagger UI at /docs. */
  docs?: boolean;
}

/** Builds the application for the given composition, ready to listen (or to be tested). */
export async function createHttpApp(
  config: AppConfig,
  composition: AppComposition,
  logger: Logger = createAppLogger(config),
): Promise<INestApplication> {
  @Module({ imports: [PlatformModule.forRoot(config, composition.migrations), ...(composition.modules ?? [])] })
  class AppModule {}

  // The logger exists before the modules do, so start-up lines are written as they happen; a failure
  // while building reaches the caller instead of aborting the process.
  const app = await NestFactory.create(AppModule, { bodyParser: false, logger, abortOnError: false });
  answerClientErrorsWithProblems(app.getHttpServer());
  // ETags are set by the features (e.g. order versions), not hashes of the body.
  const express = app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void };
  express.set('etag', false);
  express.set('x-powered-by', false);
  enableGracefulShutdown(app, config);
  if (composition.docs) setUpSwagger(app);
  for (const options of composition.microservices ?? []) app.connectMicroservice(options);
  return app;
}

/** Initializes (topics, migrations), starts the message transports if any, then serves HTTP. */
export async function listen(app: INestApplication, port: number, host: string): Promise<void> {
  await app.init();
  await app.startAllMicroservices();
  await app.listen(port, host);
}
