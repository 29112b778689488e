import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Items serialized between two yields: a few milliseconds for the largest orders. */
const ITEMS_PER_SLICE = 50;

/**
 * The JSON array of the values `toValues` gives for each item, built a slice of items at a time with
 * a yield to the event loop in between: serializing a bulk of 1,000 orders in one go would hold the
 * loop (health probes included) for tens of milliseconds.
 */
export async function jsonArrayInSlices<T>(items: readonly T[], toValues: (item: T) => unknown[]): Promise<string> {
  const parts: string[] = [];
  for (let start = 0; start < items.length; start += ITEMS_PER_SLICE) {
    if (start > 0) await yieldToEventLoop();
    const values = items.slice(start, start + ITEMS_PER_SLICE).flatMap(toValues);
    if (values.length > 0) parts.push(JSON.stringify(values).slice(1, -1));
  }
  return `[${parts.join(',')}]`;
}
