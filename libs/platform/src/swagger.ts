import { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { type ApiTag, buildOpenApiDocument } from './openapi-document';

/** Swagger UI at /docs and the OpenAPI document at /docs/openapi.json. */
export function setUpSwagger(app: INestApplication, tags: readonly ApiTag[] = []): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, tags), { jsonDocumentUrl: 'docs/openapi.json' });
}
