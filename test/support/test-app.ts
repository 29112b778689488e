import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@app/config';
import { createHttpApp, listen } from '@app/platform';
import { compositionFor } from '../../apps/orders/src/roles';
import { withAuthDefaults } from './auth-env';

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real application, as `npm start` builds it, listening on a free port. */
export async function startTestApp(env: Record<string, string>): Promise<TestApp> {
  const config = loadConfig(withAuthDefaults({ LOG_LEVEL: 'silent', ROLES: 'api', ...env }));
  const app = await createHttpApp(config, compositionFor(config));
  await listen(app, 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}
