/** Deeper than this no body of this API goes (a bulk order is 4 levels); past it, parsing stops. */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Whether UTF-8 JSON text nests arrays and objects deeper than `maxDepth`. A loop over the bytes,
 * before JSON.parse: a reviver (and every validator after it) walks the parsed value recursively,
 * so a body of a million `[` would overflow the stack there. Every structural character is ASCII,
 * and in UTF-8 no byte of a multi-byte character is, so bytes can be scanned as they come.
 */
export function exceedsJsonDepth(utf8: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < utf8.length; i++) {
    const byte = utf8[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      if (++depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}
