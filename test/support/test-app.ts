import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@app/config';
import { createHttpApp, listen, managementPortOf } from '@app/platform';
import { compositionFor } from '../../apps/orders/src/roles';
import { withAuthDefaults } from './auth-env';
import { NO_RATE_LIMITS } from './rate-limits';

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  /** Where /health and /metrics are served: MANAGEMENT_PORT's server when set, otherwise baseUrl. */
  managementUrl: string;
  close(): Promise<void>;
}

/** The real application, as `npm start` builds it, listening on a free port; not rate limited unless `env` says. */
export async function startTestApp(env: Record<string, string>): Promise<TestApp> {
  const config = loadConfig(withAuthDefaults({ LOG_LEVEL: 'silent', ROLES: 'api', ...NO_RATE_LIMITS, ...env }));
  const app = await createHttpApp(config, compositionFor(config));
  await listen(app, 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const managementPort = managementPortOf(app);
  const managementUrl = managementPort ? `http://127.0.0.1:${managementPort}` : baseUrl;
  return { app, baseUrl, managementUrl, close: () => app.close() };
}
