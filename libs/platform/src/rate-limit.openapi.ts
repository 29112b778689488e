import type { HeaderObject, OpenAPIObject } from '@nestjs/swagger';

/**
 * The rate limit headers (see RateLimitGuard), defined once: every response of an operation that
 * documents a 429 may carry them, and the 429 always does, with Retry-After.
 */
const headers: Record<string, HeaderObject> = {
  'RateLimit-Policy': {
    required: false,
    description: 'The budget this request was counted against: its name, q requests per w seconds',
    schema: { type: 'string', pattern: '^"[a-z]+";q=[0-9]+;w=[0-9]+$', example: '"default";q=600;w=60' },
  },
  RateLimit: {
    required: false,
    description: 'What is left of that budget: r requests, until the window restarts in t seconds',
    schema: { type: 'string', pattern: '^"[a-z]+";r=[0-9]+;t=[0-9]+$', example: '"default";r=599;t=60' },
  },
};

const retryAfter: HeaderObject = {
  required: true,
  description: 'Seconds until the budget has room again',
  schema: { type: 'integer', format: 'int32', minimum: 1 },
};

const componentName = (header: string) => header.replaceAll('-', '');

export function documentRateLimits(document: OpenAPIObject): OpenAPIObject {
  const components = ((document.components ??= {}).headers ??= {});
  for (const [name, header] of Object.entries(headers)) components[componentName(name)] = header;
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch]) {
      if (!operation?.responses['429']) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response || '$ref' in response) continue;
        const limited =
          status === '429'
            ? { 'Retry-After': retryAfter, ...mapValues((header) => ({ ...header, required: true })) }
            : mapValues((_header, name) => ({ $ref: `#/components/headers/${componentName(name)}` }));
        response.headers = { ...response.headers, ...limited };
      }
    }
  }
  return document;
}

function mapValues<T>(map: (header: HeaderObject, name: string) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(headers).map(([name, header]) => [name, map(header, name)]));
}
