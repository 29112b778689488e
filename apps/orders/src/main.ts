import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { type AppConfig, ConfigError, loadConfig } from '@app/config';
import { assertDatabaseAvailable, DatabaseUnavailableError, DataDirInUseError } from '@app/database';
import { KafkaUnavailableError } from '@app/messaging';
import { createAppLogger } from '@app/observability';
import { createHttpApp, listen, managementPortOf } from '@app/platform';
import { compositionFor } from './roles';
import { startupSummary } from './startup-summary';

/** Problems of the surroundings, not of the code: said in one line, without a stack trace. */
const STARTUP_PROBLEMS = [DataDirInUseError, DatabaseUnavailableError, KafkaUnavailableError];

/** Runs the roles named in ROLES (default: every role, in one process). */
export async function main(config: AppConfig): Promise<void> {
  const logger = createAppLogger(config);
  try {
    await assertDatabaseAvailable(config);
    const app = await createHttpApp(config, compositionFor(config), logger);
    await listen(app, config.port, '0.0.0.0');
    const { port } = app.getHttpServer().address() as AddressInfo;
    logger.log(startupSummary(config, port, managementPortOf(app)), 'Orders');
  } catch (error) {
    if (STARTUP_PROBLEMS.some((problem) => error instanceof problem)) logger.fatal((error as Error).message, 'Orders');
    else logger.fatal({ err: error }, 'Start-up failed', 'Orders');
    process.exit(1);
  }
}

if (require.main === module) {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  void main(config);
}
