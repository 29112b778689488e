import { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { AuthSettings } from '@app/config';
import { type ApiTag, buildOpenApiDocument } from './openapi-document';

export const DOCS_PATH = '/docs';

/**
 * Swagger UI at /docs and the OpenAPI document at /docs/openapi.json. Its assets are served from the
 * swagger-ui-dist package, so the page needs nothing remote (see the CSP in security-headers.ts).
 */
export function setUpSwagger(app: INestApplication, auth: AuthSettings, tags: readonly ApiTag[] = []): void {
  SwaggerModule.setup(DOCS_PATH, app, buildOpenApiDocument(app, auth, tags), {
    jsonDocumentUrl: `${DOCS_PATH}/openapi.json`,
    // The online validator's badge is a remote image: off.
    // The online validator's badge is a remote image: off. A token pasted into Authorize survives a reload.
    swaggerOptions: { validatorUrl: null, persistAuthorization: true },
  });
}
