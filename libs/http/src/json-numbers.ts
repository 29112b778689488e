/** A JSON number whose text does not say the integer it parsed to; the body check reports it by field. */
export class InexactNumber {
  constructor(readonly source: string) {}
}

const JSON_NUMBER = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
/** No finite double has more integer digits than this (Number.MAX_VALUE is about 1.8e308). */
const MAX_DOUBLE_DIGITS = 309;

/**
 * JSON.parse reviver (Node 24 hands it each number's source text): a number that parsed to an
 * integer, or overflowed, must be written as exactly that integer. Otherwise the client's value
 * changed silently: 2.9999999999999999 becomes 3, 1e-400 becomes 0, 9007199254740993 becomes
 * 9007199254740992. Fractions that parse as fractions pass; the validators decide about them.
 */
export function markInexactIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || context?.source === undefined) return value;
  if (Number.isFinite(value) && !Number.isInteger(value)) return value;
  return writtenExactly(context.source, value) ? value : new InexactNumber(context.source);
}

function writtenExactly(source: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  const match = JSON_NUMBER.exec(source);
  if (!match) return false;
  const [, whole, fraction = '', exponent = '0'] = match;
  // The written number is digits x 10^scale; strip zeros by hand (a regex like /0+$/ backtracks).
  let digits = whole + fraction;
  let start = 0;
  while (start < digits.length && digits[start] === '0') start++;
  let end = digits.length;
  while (end > start && digits[end - 1] === '0') end--;
  const scale = Number(exponent) - fraction.length + (digits.length - end);
  digits = digits.slice(start, end);
  if (digits === '') return value === 0;
  if (scale < 0) return false; // a fraction, rounded to an integer by the parse
  if (digits.length + scale > MAX_DOUBLE_DIGITS) return false;
  return BigInt(digits) * 10n ** BigInt(scale) === BigInt(Math.abs(value));
}
