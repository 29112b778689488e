import type { DataSource } from 'typeorm';
import { isCausedByData, sqlStateOf } from './sql-state';

/** Serialization failures and deadlocks: a retry resolves them. */
const TRANSIENT = /^40/;

/**
 * A failure stops counting after this long without another: a process out of rotation receives no
 * writes, so it could never prove itself well again otherwise.
 */
const FAILURE_MEMORY_MS = 30_000;

export interface StatementFailure {
  statement: string;
  since: Date;
  last: number;
  error: string;
}

const failures = new WeakMap<DataSource, Map<string, StatementFailure>>();
const of = (dataSource: DataSource) => {
  let byStatement = failures.get(dataSource);
  if (!byStatement) failures.set(dataSource, (byStatement = new Map()));
  return byStatement;
};

/**
 * Whether the hot-path statements of a data source work. After one fails for a reason of the
 * server's (not the request's), readiness reports it until that statement succeeds again: a ping
 * alone would stay green while every write fails, and so would the relay's reads.
 */
export const StatementHealth = {
  succeeded(dataSource: DataSource, statement: string): void {
    of(dataSource).delete(statement);
  },

  failed(dataSource: DataSource, statement: string, error: unknown): void {
    // What the statement's data causes, or a retry resolves, says nothing about the database's health.
    if (isCausedByData(error) || TRANSIENT.test(sqlStateOf(error) ?? '')) return;
    const known = of(dataSource).get(statement);
    if (known && Date.now() - known.last < FAILURE_MEMORY_MS) known.last = Date.now();
    else of(dataSource).set(statement, { statement, since: new Date(), last: Date.now(), error: String(error) });
  },

  /** The statements failing now. */
  failing(dataSource: DataSource): StatementFailure[] {
    return [...of(dataSource).values()].filter((failure) => Date.now() - failure.last < FAILURE_MEMORY_MS);
  },
};
