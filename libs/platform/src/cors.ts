import type { INestApplication } from '@nestjs/common';

/** What a browser script calling from an allowed origin may read of a response. */
const EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'X-Request-Id',
  'X-Cache',
  'Idempotent-Replayed',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
];

/**
 * CORS for the origins in CORS_ORIGINS only; with none, no response carries a CORS header and
 * browsers keep other origins out. Credentials are bearer tokens, never cookies, so none are allowed.
 */
export function enableCors(app: INestApplication, origins: string[]): void {
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
  });
}
