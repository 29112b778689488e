export { DataDirInUseError } from './data-dir-lock';
export { assertDatabaseAvailable } from './database-preflight';
export { DatabaseUnavailableError, describeDatabase } from './database-reachability';
export { dataSourceOptions, type Migrations } from './data-source-options';
export { DatabaseModule } from './database.module';
export { EmbeddedPostgres } from './embedded-postgres';
export { PreparedStatement } from './prepared-statement';
export { runMigrations } from './run-migrations';
export { isDatabaseUnavailable } from './database-unavailable';
