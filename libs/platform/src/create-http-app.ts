import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Logger } from 'nestjs-pino';
import type { AppConfig } from '@app/config';
import type { Migrations } from '@app/database';
import { answerClientError, answerNodesOwnRefusals, genericProblem, HttpEdge, replyWithProblem } from '@app/http';
import { createAppLogger, REQUEST_ID_HEADER, requestIdOf } from '@app/observability';
import { enableCors } from './cors';
import { type ApiTag, buildOpenApiDocument } from './openapi-document';
import { enableGracefulShutdown } from './graceful-shutdown';
import { ManagementServer } from './management-server';
import { PlatformModule } from './platform.module';
import { applySecurityHeaders, setSecurityHeaders } from './security-headers';
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

/** The HTTP server: routes matched as clients expect them, every request with an id, every refusal a problem. */
function serverOptions(config: AppConfig): FastifyServerOptions {
  return {
    // Who the client is (request.ip: rate limits, logs) when proxies in front say so in X-Forwarded-For.
    // A hop count is taken at run time, though Fastify's type leaves it out.
    trustProxy: config.http.trustProxy as FastifyServerOptions['trustProxy'],
    genReqId: requestIdOf,
    clientErrorHandler: answerClientError,
    // What the router refuses before any hook or middleware runs (a malformed URL): a problem like
    // every other, with the headers every other response has.
    frameworkErrors: (error, request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      setSecurityHeaders(request.raw, reply.raw, () => replyWithProblem(request, reply, genericProblem(error)));
    },
    // Paths match without regard to case or a trailing slash. Path parameters may be as long as a
    // request line may (Node's 16 KiB header limit): an over-long id is a 404 like any unknown one.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 16 * 1024 },
    // Requests that arrive on a kept-alive connection while closing are still served, as in flight.
    return503OnClosing: false,
  };
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
  const app = await NestFactory.create<NestFastifyApplication>(
    appModuleFor(config, composition),
    new FastifyAdapter(serverOptions(config)),
    { bodyParser: false, logger, abortOnError: false },
  );
  const server = app.getHttpAdapter().getInstance();
  answerNodesOwnRefusals(app.getHttpServer());
  // Every response names its request, errors and 404s included.
  server.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader(REQUEST_ID_HEADER, request.id);
    done();
  });
  app.get(HttpEdge).install(server);
  enableGracefulShutdown(app, config);
  const management = app.get(ManagementServer);
  if (management.enabled) management.separateRoutes(server);
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
  const server = app.getHttpAdapter().getInstance() as FastifyInstance;
  await app.get(ManagementServer).listen((req, res) => server.routing(req, res), host);
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
  const app = await NestFactory.create(appModuleFor(config, composition), new FastifyAdapter(), {
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
