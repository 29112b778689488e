import type { DataSourceOptions, MixedList } from 'typeorm';

/** The schema history of the features this process serves, in the order TypeORM applies it. */
export type Migrations = MixedList<string | (new () => unknown)>;

/**
 * One definition of the TypeORM connection for the app and the migrate script. Features bring their
 * migrations; there are no entities (features map their tables themselves). Migrations are run by
 * runMigrations (one process at a time), never implicitly at connect.
 */
export function dataSourceOptions(url: string, poolSize: number, migrations: Migrations): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsRun: false,
    synchronize: false,
    poolSize,
    extra: { connectionTimeoutMillis: 5_000 },
  };
}
