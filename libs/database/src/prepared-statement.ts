import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A statement on the hot path, run as a named prepared statement on TypeORM's own connections:
 * PostgreSQL parses and plans it once per connection instead of on every call, which halves its
 * server-side cost for the jsonb statements here. Inside a transaction it runs on the transaction's
 * connection.
 */
export class PreparedStatement<Row extends QueryResultRow = QueryResultRow> {
  constructor(
    /** Unique per text: a connection keeps the first text it prepared under a name. */
    private readonly name: string,
    readonly text: string,
  ) {}

  async run(on: DataSource | EntityManager, values: unknown[]): Promise<{ rows: Row[]; rowCount: number }> {
    const client = await clientFor(on);
    const result = await client.query<Row>({ name: this.name, text: this.text, values });
    return { rows: result.rows, rowCount: result.rowCount ?? 0 };
  }
}

async function clientFor(on: DataSource | EntityManager): Promise<Pool | PoolClient> {
  if (on instanceof EntityManager && on.queryRunner) return (await on.queryRunner.connect()) as PoolClient;
  const dataSource = on instanceof EntityManager ? on.connection : on;
  return (dataSource.driver as PostgresDriver).master as Pool;
}
