import { QueryFailedError } from 'typeorm';

/** The SQLSTATE of a database error, through TypeORM's wrapper; undefined for anything else. */
export function sqlStateOf(error: unknown): string | undefined {
  const cause = error instanceof QueryFailedError ? error.driverError : error;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Whether the statement's data caused the error (data exceptions, integrity violations): it would
 * fail the same way every time, and says nothing about the database's health.
 */
export const isCausedByData = (error: unknown): boolean => /^(22|23)/.test(sqlStateOf(error) ?? '');
