import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * Express answers any GET sent with `If-None-Match: *` with 304 (RFC 9110: any current
 * representation matches), so every GET documents that 304; GET by id documents its own.
 */
export function documentNotModified(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    if (item.get && !item.get.responses['304']) {
      item.get.responses['304'] = { description: 'Sent with If-None-Match: * (any current representation): no body' };
    }
  }
  return document;
}
