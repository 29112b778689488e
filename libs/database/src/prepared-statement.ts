import type { PoolClient, QueryResultRow } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { StatementHealth } from './statement-health';

/** A name per client object: a connection that is replaced can never meet its predecessor's statements. */
const clientTags = new WeakMap<PoolClient, string>();
let clientsSeen = 0;

function tagOf(client: PoolClient): string {
  let tag = clientTags.get(client);
  if (!tag) clientTags.set(client, (tag = (++clientsSeen).toString(36)));
  return tag;
}

/**
 * A statement on the hot path, run as a named prepared statement on TypeORM's own connections:
 * PostgreSQL parses and plans it once per connection instead of on every call, which halves its
 * server-side cost for the jsonb statements here. Inside a transaction it runs on the transaction's
 * connection; otherwise on a pool connection borrowed through a query runner (TypeORM's public API).
 *
 * The server-side name carries a tag of the client object: a new client that lands in a session
 * where an earlier one prepared statements (embedded PGlite serves one session to every connection;
 * poolers can hand sessions around) prepares its own instead of colliding with theirs.
 */
export class PreparedStatement<Row extends QueryResultRow = QueryResultRow> {
  constructor(
    /** Unique per text. */
    private readonly name: string,
    readonly text: string,
  ) {}

  async run(on: DataSource | EntityManager, values: unknown[]): Promise<{ rows: Row[]; rowCount: number }> {
    const dataSource = on instanceof EntityManager ? on.connection : on;
    const transactional = on instanceof EntityManager ? on.queryRunner : undefined;
    const runner: QueryRunner = transactional ?? dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const result = await client.query<Row>({ name: `${this.name}-${tagOf(client)}`, text: this.text, values });
      StatementHealth.succeeded(dataSource, this.name);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      StatementHealth.failed(dataSource, this.name, error);
      throw error;
    } finally {
      if (!transactional) await runner.release();
    }
  }
}
