import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '@app/config';
import { dataSourceOptions, EmbeddedPostgres, runMigrations } from '@app/database';
import { orderMigrations } from '@app/orders';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
async function migrate(): Promise<void> {
  const config = loadConfig();
  const embedded = config.database.embedded ? await EmbeddedPostgres.start(config.database.dataDir) : null;
  const url = embedded?.url ?? config.database.url!;
  const dataSource = new DataSource(dataSourceOptions(url, 1, orderMigrations));
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource, url, config.database.embedded);
    console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'Database is up to date');
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

migrate().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
