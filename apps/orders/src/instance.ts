import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { assertAuthConfigured, AuthNotConfiguredError, SelfIssuer } from '@app/auth';
import type { AppConfig } from '@app/config';
import { assertDatabaseAvailable, DatabaseUnavailableError, DataDirInUseError } from '@app/database';
import { KafkaUnavailableError } from '@app/messaging';
import { createAppLogger } from '@app/observability';
import { createHttpApp, listen, managementPortOf, startTransports } from '@app/platform';
import { announceReady, isEventWorker, joinSupervisor } from './api-workers';
import { compositionFor } from './roles';
import { startupSummary } from './startup-summary';

/** Problems of the surroundings, not of the code: said in one line, without a stack trace. */
const STARTUP_PROBLEMS = [DataDirInUseError, DatabaseUnavailableError, KafkaUnavailableError, AuthNotConfiguredError];

const ADMIN_TOKEN_TTL_SECONDS = 12 * 3_600;

/** Embedded mode: a token to paste into Swagger UI's Authorize button or curl, straight away. */
async function adminTokenNotice(issuer: SelfIssuer): Promise<string> {
  const token = await issuer.mint({ subject: 'admin', roles: ['admin'], ttlSeconds: ADMIN_TOKEN_TTL_SECONDS });
  return (
    `Admin token (12 h; npm run token -- --role customer --customer customer-42 mints others): ` +
    `Authorization: Bearer ${token}`
  );
}

/** Runs the roles named in ROLES (default: every role, in one process): one instance of the service. */
export async function runInstance(config: AppConfig): Promise<void> {
  joinSupervisor();
  const logger = createAppLogger(config);
  try {
    assertAuthConfigured(config);
    await assertDatabaseAvailable(config);
    const app = await createHttpApp(config, compositionFor(config), logger);
    if (isEventWorker(config)) {
      await startTransports(app);
      logger.log(startupSummary(config), 'Orders');
    } else {
      await listen(app, config.port, '0.0.0.0');
      const { port } = app.getHttpServer().address() as AddressInfo;
      logger.log(startupSummary(config, port, managementPortOf(app)), 'Orders');
    }
    if (config.auth.mode === 'self-issued') logger.log(await adminTokenNotice(app.get(SelfIssuer)), 'Orders');
    announceReady();
  } catch (error) {
    if (STARTUP_PROBLEMS.some((problem) => error instanceof problem)) logger.fatal((error as Error).message, 'Orders');
    else logger.fatal({ err: error }, 'Start-up failed', 'Orders');
    process.exit(1);
  }
}
