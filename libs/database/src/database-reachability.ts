import { Client } from 'pg';

const CONNECT_TIMEOUT_MS = 5_000;

export class DatabaseUnavailableError extends Error {}

/** host:port/database of a PostgreSQL URL, without credentials (for logs). */
export function describeDatabase(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  return `${hostname}:${port || 5432}${pathname}`;
}

/**
 * Connects once before anything else starts, so a wrong DATABASE_URL or a database that is down is
 * one clear line (where, after how long, why) instead of retries with stack traces.
 */
export async function assertDatabaseReachable(url: string): Promise<void> {
  const started = Date.now();
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    throw new DatabaseUnavailableError(
      `Cannot reach PostgreSQL at ${describeDatabase(url)} (DATABASE_URL) after ${seconds} s: ${(error as Error).message}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
