import 'reflect-metadata';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@app/config';
import { openApiDocumentOf } from '@app/platform';
import { compositionFor } from './roles';

/** The OpenAPI document /docs/openapi.json serves, built without any database, cache or broker. */
export function apiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ROLES: 'api' });
  return openApiDocumentOf(config, compositionFor(config));
}

// `npm run openapi`: the document on stdout, for client generators and linters.
if (require.main === module) {
  void apiDocument().then((document) => process.stdout.write(`${JSON.stringify(document, null, 2)}\n`));
}
