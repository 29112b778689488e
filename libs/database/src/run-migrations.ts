import { Client } from 'pg';
import type { DataSource, Migration } from 'typeorm';

// Any fixed number: every process that starts against the same database takes turns on it.
const MIGRATION_LOCK_KEY = 724_311_002;

/**
 * Applies pending migrations, one process at a time: an API and a worker starting together against
 * an empty database would otherwise both create the same tables. The lock lives on a connection of
 * its own, outside the pool the migrations run on.
 */
export async function runMigrations(dataSource: DataSource, url: string, embedded: boolean): Promise<Migration[]> {
  // Embedded PGlite serves one connection to one process: nothing to take turns with.
  if (embedded) return dataSource.runMigrations({ transaction: 'each' });
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.end();
  }
}
