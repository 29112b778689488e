import { resolve } from 'node:path';
import type { AppConfig } from '@app/config';
import { DataDirLock } from './data-dir-lock';
import { assertDatabaseReachable } from './database-reachability';

/**
 * Checks, before the application is built, that its database can be used: the embedded data
 * directory is not held by another process, or the PostgreSQL server answers. Either failure is one
 * clear error (DataDirInUseError, DatabaseUnavailableError).
 */
export async function assertDatabaseAvailable(config: AppConfig): Promise<void> {
  if (config.database.embedded) DataDirLock.assertFree(resolve(config.database.dataDir));
  else await assertDatabaseReachable(config.database.url!);
}
