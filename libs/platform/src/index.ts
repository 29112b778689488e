export { createHttpApp, listen, type AppComposition } from './create-http-app';
export { PlatformModule } from './platform.module';
export { HealthController } from './health.controller';
