import { QueryFailedError } from 'typeorm';

/** SQLSTATE classes of a database that cannot serve: connection exceptions, insufficient resources, shutdowns. */
const UNAVAILABLE_STATE = /^(08|53|57P0[1-3])/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
/** What pg and pg-pool say when a connection drops or none can be had in time (they set no code). */
const UNAVAILABLE_MESSAGE =
  /connection terminated|timeout exceeded when trying to connect|connection timeout|client has encountered a connection error|connection is closed|cannot use a pool after calling end/i;

/**
 * Whether an error means "the database cannot be reached or is saturated right now" (answer 503 and
 * let the client retry) rather than a fault in the request or in the code.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth++) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_STATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    cause = cause instanceof QueryFailedError ? cause.driverError : (cause as { cause?: unknown }).cause;
  }
  return false;
}
