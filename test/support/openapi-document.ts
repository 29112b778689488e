import type { OpenAPIObject } from '@nestjs/swagger';
import { apiDocument as buildApiDocument } from '../../apps/orders/src/openapi';

let document: Promise<OpenAPIObject> | undefined;

/** The OpenAPI document of the API role, as /docs/openapi.json serves it; built once per test process. */
export function apiDocument(): Promise<OpenAPIObject> {
  document ??= buildApiDocument();
  return document;
}
