import { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { AuthSettings } from '@app/config';
import { type ApiTag, buildOpenApiDocument } from './openapi-document';

/** Swagger UI at /docs and the OpenAPI document at /docs/openapi.json. */
export function setUpSwagger(app: INestApplication, auth: AuthSettings, tags: readonly ApiTag[] = []): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, auth, tags), {
    jsonDocumentUrl: 'docs/openapi.json',
    // A token pasted into Authorize survives a reload of the page.
    swaggerOptions: { persistAuthorization: true },
  });
}
