import { createRequire } from 'node:module';

/**
 * OpenAPI schemas for the ISO codes the request DTOs validate, built from the very lists
 * class-validator checks against (validator.js, as class-validator resolves it), so the document
 * accepts exactly what the server accepts.
 */
const fromValidator = createRequire(require.resolve('class-validator'));

const codesOf = (module: string, exportName: string): string[] =>
  [...(fromValidator(module) as Record<string, ReadonlySet<string>>)[exportName]].sort();

export const CURRENCY_CODES = codesOf('validator/lib/isISO4217', 'CurrencyCodes');
export const COUNTRY_CODES = codesOf('validator/lib/isISO31661Alpha2', 'CountryCodes');

/**
 * The validators compare `value.toUpperCase()` with the list, so `eur` passes, and so do the few
 * characters that upper-case to ASCII letters (`ı` to I, `ſ` to S, the ligature `ﬅ` to ST): every
 * spelling of each letter group, found by upper-casing every code point of the BMP (none beyond it
 * upper-cases to ASCII).
 */
function spellingsOfLetterGroups(): Map<string, string[]> {
  const spellings = new Map<string, string[]>();
  for (let codePoint = 0; codePoint <= 0xffff; codePoint++) {
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
    const char = String.fromCharCode(codePoint);
    const upper = char.toUpperCase();
    if (/^[A-Z]{1,3}$/.test(upper)) spellings.set(upper, [...(spellings.get(upper) ?? []), char]);
  }
  return spellings;
}

const escape = (char: string): string =>
  /[A-Za-z]/.test(char) ? char : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A pattern for every string whose upper case is `code`. */
function spellingsOf(code: string, spellings: Map<string, string[]>): string {
  if (code === '') return '';
  const alternatives: string[] = [];
  for (let length = 1; length <= Math.min(3, code.length); length++) {
    const chars = spellings.get(code.slice(0, length));
    if (chars) alternatives.push(`[${chars.map(escape).join('')}]${spellingsOf(code.slice(length), spellings)}`);
  }
  return alternatives.length === 1 ? alternatives[0] : `(?:${alternatives.join('|')})`;
}

/** A JSON Schema pattern matching exactly the strings whose upper case is one of `codes`. */
export function caseInsensitiveCodePattern(codes: readonly string[]): string {
  const spellings = spellingsOfLetterGroups();
  return `^(?:${codes.map((code) => spellingsOf(code, spellings)).join('|')})$`;
}
