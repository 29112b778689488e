/**
 * The instants a client may name in a filter or a cursor: the years 1 to 9999, the four-digit years
 * of ISO 8601. JavaScript dates reach further back than PostgreSQL's timestamptz (which then fails
 * the query), and years before 1 are written differently by the two.
 */
export const EARLIEST_INSTANT = new Date('0001-01-01T00:00:00.000Z');
export const LATEST_INSTANT = new Date('9999-12-31T23:59:59.999Z');

/** False for invalid dates too. */
export function isSupportedInstant(date: Date): boolean {
  const time = date.getTime();
  return time >= EARLIEST_INSTANT.getTime() && time <= LATEST_INSTANT.getTime();
}
