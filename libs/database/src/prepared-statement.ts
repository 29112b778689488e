import type { PoolClient, QueryResultRow } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * A statement on the hot path, run as a named prepared statement on TypeORM's own connections:
 * PostgreSQL parses and plans it once per connection instead of on every call, which halves its
 * server-side cost for the jsonb statements here. Inside a transaction it runs on the transaction's
 * connection; otherwise on a pool connection borrowed through a query runner (TypeORM's public API).
 */
export class PreparedStatement<Row extends QueryResultRow = QueryResultRow> {
  constructor(
    /** Unique per text: a connection keeps the first text it prepared under a name. */
    private readonly name: string,
    readonly text: string,
  ) {}

  async run(on: DataSource | EntityManager, values: unknown[]): Promise<{ rows: Row[]; rowCount: number }> {
    const transactional = on instanceof EntityManager ? on.queryRunner : undefined;
    const runner: QueryRunner = transactional ?? (on instanceof EntityManager ? on.connection : on).createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const result = await client.query<Row>({ name: this.name, text: this.text, values });
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } finally {
      if (!transactional) await runner.release();
    }
  }
}
