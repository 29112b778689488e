import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Logger } from 'nestjs-pino';
import type { AppConfig } from '@app/config';
import type { Migrations } from '@app/database';
import { answerClientErrorsWithProblems } from '@app/http';
import { createAppLogger } from '@app/observability';
import { enableCors } from './cors';
import { type ApiTag, buildOpenApiDocument } from './openapi-document';
import { enableGracefulShutdown } from './graceful-shutdown';
import { ManagementServer } from './management-server';
import { PlatformModule } from './platform.module';
import { applySecurityHeaders } from './security-headers';
import { DOCS_PATH, setUpSwagger } from './swagger';

/** What a process runs: its feature modules, their migrations, and any message transports. */
export interface AppComposition {
  modules: DynamicModule['imports'];
  migrations: Migrations;
  /** Transports to connect (e.g. a Kafka consumer), started before HTTP listens. */
  microservices?: MicroserviceOptions[];
  /** Serve Swagger UI at /docs. */
  docs?: boolean;
  /** The tags the feature modules' routes use, described in the OpenAPI document. */
  apiTags?: readonly ApiTag[];
}

function appModuleFor(config: AppConfig, composition: AppComposition) {
  @Module({ imports: [PlatformModule.forRoot(config, composition.migrations), ...(composition.modules ?? [])] })
  class AppModule {}
  return AppModule;
}

/** Builds the application for the given composition, ready to listen (or to be tested). */
export async function createHttpApp(
  config: AppConfig,
  composition: AppComposition,
  logger: Logger = createAppLogger(config),
): Promise<INestApplication> {
  // The logger exists before the modules do, so start-up lines are written as they happen; a failure
  // while building reaches the caller instead of aborting the process.
  const app = await NestFactory.create(appModuleFor(config, composition), {
    bodyParser: false,
    logger,
    abortOnError: false,
  });
  answerClientErrorsWithProblems(app.getHttpServer());
  // ETags are set by the features (e.g. order versions), not hashes of the body.
  const express = app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void };
  express.set('etag', false);
  express.set('x-powered-by', false);
  // Who the client is (req.ip: rate limits, logs) when proxies in front say so in X-Forwarded-For.
  express.set('trust proxy', config.http.trustProxy);
  enableGracefulShutdown(app, config);
  const management = app.get(ManagementServer);
  if (management.enabled) app.use(management.separateRoutes);
  applySecurityHeaders(app, DOCS_PATH);
  enableCors(app, config.http.corsOrigins);
  if (composition.docs) setUpSwagger(app, config.auth, composition.apiTags);
  for (const options of composition.microservices ?? []) app.connectMicroservice(options);
  return app;
}

/** Initializes (topics, migrations) and starts the message transports if any, serving no port. */
export async function startTransports(app: INestApplication): Promise<void> {
  await app.init();
  await app.startAllMicroservices();
}

/** Starts the application (startTransports), then serves HTTP (and MANAGEMENT_PORT). */
export async function listen(app: INestApplication, port: number, host: string): Promise<void> {
  await startTransports(app);
  await app.listen(port, host);
  await app.get(ManagementServer).listen(app.getHttpAdapter().getInstance(), host);
}

/** The port /health and /metrics are served on: MANAGEMENT_PORT's when set, otherwise undefined (the public one). */
export function managementPortOf(app: INestApplication): number | undefined {
  return app.get(ManagementServer).port;
}

/**
 * The OpenAPI document the composition serves, built without connecting to anything: Nest's preview
 * mode resolves the modules and routes but creates no provider.
 */
export async function openApiDocumentOf(config: AppConfig, composition: AppComposition): Promise<OpenAPIObject> {
  const app = await NestFactory.create(appModuleFor(config, composition), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app, config.auth, composition.apiTags);
  } finally {
    await app.close();
  }
}
