import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AuthSettings } from '@app/config';
import { documentRateLimits } from './rate-limit.openapi';
import { documentRequestIds } from './request-id.openapi';
import { documentSecurity } from './security.openapi';

/** A tag of the document, with what its operations are about. */
export interface ApiTag {
  name: string;
  description: string;
}

/** Tags of the routes every process serves. */
const PLATFORM_TAGS: ApiTag[] = [
  { name: 'health', description: 'Liveness and readiness probes' },
  { name: 'metrics', description: 'Prometheus metrics of the process' },
];

/** The OpenAPI document of the application's routes, as served at /docs/openapi.json. */
export function buildOpenApiDocument(
  app: INestApplication,
  auth: AuthSettings,
  featureTags: readonly ApiTag[] = [],
): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Orders API')
    .setDescription(
      'Place orders and move them through their lifecycle: PLACED -> CONFIRMED -> SHIPPED -> DELIVERED, ' +
        'or CANCELLED from PLACED or CONFIRMED. Amounts are integers in minor units (cents) of the order currency. ' +
        'Every error is an RFC 9457 application/problem+json body. Every change is published as an event on Kafka.',
    )
    .setVersion('1.0')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer('/', 'The server this document is served from');
  for (const tag of [...featureTags, ...PLATFORM_TAGS]) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    // Operations name themselves (ApiOperation); the method name is the fallback.
    operationIdFactory: (_controller, method) => method,
  });
  return documentSecurity(documentRequestIds(documentRateLimits(document)), auth);
}
