import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';

/** The API answers JSON: its responses may load nothing and be framed by no page. */
const API_POLICY = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

/**
 * Swagger UI loads only what this server serves (its assets are the swagger-ui-dist package's, see
 * setUpSwagger): no remote origin anywhere. Its page template carries inline <style> blocks and a
 * style attribute, which 'unsafe-inline' in style-src alone allows; no inline script exists, so
 * scripts stay 'self' only. Icons are data: URLs in its stylesheet.
 */
const DOCS_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
};

/**
 * helmet's headers (HSTS, nosniff, frame and referrer policies, ...), with a Content-Security-Policy
 * of our own: helmet's default allows any https: style and font source.
 */
export const setSecurityHeaders = helmet({ contentSecurityPolicy: { useDefaults: false, directives: API_POLICY } });

/** The security headers on every response that reaches the middleware, and Swagger UI's own policy. */
export function applySecurityHeaders(app: INestApplication, docsPath: string): void {
  app.use(setSecurityHeaders);
  app.use(docsPath, helmet.contentSecurityPolicy({ useDefaults: false, directives: DOCS_POLICY }));
}
