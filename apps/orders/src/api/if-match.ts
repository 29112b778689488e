/**
 * If-Match (RFC 9110, 13.1.1) over the order's ETags, which are its version in quotes: `*` matches
 * any version, a list of tags matches the versions its strong tags name, and a weak tag never
 * matches. A tag this API never issued is kept out of the list, so it matches nothing.
 */
export type IfMatch = { any: true } | { any: false; versions: number[] };

/** One list element: an optional weak prefix, a quoted tag, then a comma or the end (empty elements allowed). */
const ELEMENT = /[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(,|$)/y;
const VERSION = /^[1-9][0-9]{0,9}$/;

/** The versions an If-Match header accepts; undefined when absent or not a valid header. */
export function parseIfMatch(header: string): IfMatch | undefined {
  if (header.trim() === '*') return { any: true };
  const versions: number[] = [];
  ELEMENT.lastIndex = 0;
  for (;;) {
    const start = ELEMENT.lastIndex;
    const match = ELEMENT.exec(header);
    if (!match || (match[0] === '' && start < header.length)) return undefined;
    const [, weak, tag, separator] = match;
    if (tag !== undefined && !weak && VERSION.test(tag)) versions.push(Number(tag));
    if (separator === '') return { any: false, versions };
  }
}
