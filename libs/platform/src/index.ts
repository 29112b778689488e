export {
  createHttpApp,
  listen,
  managementPortOf,
  openApiDocumentOf,
  startTransports,
  type AppComposition,
} from './create-http-app';
export type { ApiTag } from './openapi-document';
export { PlatformModule } from './platform.module';
export { HealthController } from './health.controller';
export { BEARER_SCHEME } from './security.openapi';
