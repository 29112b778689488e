import fc from 'fast-check';
import { JsonLike, JsonObject, JsonRaw } from './json-text';

/** Text that has broken parsers, databases and log pipelines somewhere before. */
const NASTY_TEXT = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\udbff\udbff',
  '\ufeff',
  '\u202eRTL override',
  'مرحبا بالعالم',
  'שלום',
  'e\u0301\u0301\u0301\u0301',
  'Z̴̡̛̤͎͓̣̖̾̀̋a̷l̸g̶o̵',
  '👩‍👩‍👧‍👦🏳️‍🌈🇬🇧',
  '\u200b\u200c\u200d',
  '\uffff\ufffe',
  "' OR '1'='1",
  "'; DROP TABLE orders; --",
  '1; SELECT pg_sleep(5)',
  '$1',
  '\\',
  '"',
  '{"a":1}',
  '[]',
  'null',
  '<script>alert(1)</script>',
  '<!--',
  '%00',
  '%s%n%x',
  '${jndi:ldap://x}',
  '{{7*7}}',
  'a\r\nSet-Cookie: x=1',
  '\r\n\r\nHTTP/1.1 200 OK',
  '(a+)+$',
  '^.*$',
  '[',
  '(?=',
  '\\d{99999}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '0x10',
  'true',
  '../../etc/passwd',
  'PLACED',
  'EUR',
  'eur',
  'GB',
  'XXX',
];

/** Names a field or query parameter may be given: prototype members, patterns, unicode, almost-names. */
const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isPrototypeOf',
  '',
  ' ',
  '\u0000',
  '\ud800',
  '(a+)+$',
  '.*',
  '[',
  '$where',
  'a.b',
  'a[b]',
  'a[]',
  '0',
  '-1',
  'length',
  'Customerid',
  'customerid',
  'customerId ',
  'lines[0]',
  'ñ',
  '👍',
];

/** Number spellings, each written as is into the JSON text or query string. */
const NUMBER_SPELLINGS = [
  '0',
  '-0',
  '-1',
  '1',
  '0.5',
  '1.5',
  '-1.5',
  '10.0',
  '1e3',
  '1E+2',
  '1e-7',
  '1e308',
  '-1e308',
  '1e309',
  '1e-400',
  '2.9999999999999999',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '-9007199254740993',
  '1000000000000',
  '1000000000001',
  '10000',
  '10001',
  '2147483647',
  '2147483648',
  '4294967296',
  '99999999999999999999999999999999',
  `1${'0'.repeat(400)}`,
  `0.${'0'.repeat(400)}1`,
  '1.7976931348623157e308',
  '5e-324',
];

export const nastyText = (): fc.Arbitrary<string> => fc.constantFrom(...NASTY_TEXT);

/** Unicode of every kind, lone surrogates and NUL included. */
export const anyText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 4 }),
    fc.string({ unit: fc.constantFrom('\u0000', '\r', '\n', '"', '\\', '%', '&', '=', '+', '#', '?'), maxLength: 8 }),
  );

const OVERSIZED_LENGTHS = [
  20, 21, 64, 65, 100, 101, 200, 201, 500, 501, 1000, 1001, 10_000, 20_000, 1_100_000, 3_000_000,
];

/**
 * Strings just inside and well past the field limits, up to `maxLength` (in a body, 1 to 3 MiB reach
 * past the 2 MiB body limit; in a URL or a header, 20,000 is past Node's 16 KiB for all headers).
 */
export const oversizedText = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...OVERSIZED_LENGTHS.filter((length) => length <= maxLength)),
      fc.constantFrom('x', 'é', '😀', ' '),
    )
    .map(([length, unit]) => unit.repeat(length));

export const hostileString = (maxLength = Infinity): fc.Arbitrary<string> =>
  fc.oneof({ weight: 4, arbitrary: nastyText() }, { weight: 4, arbitrary: anyText() }, oversizedText(maxLength));

/** Hostile text for a URL or a header, where anything past Node's header limit is refused early. */
export const hostileUrlText = (): fc.Arbitrary<string> => hostileString(20_000);

export const hostileKey = (): fc.Arbitrary<string> =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...NASTY_KEYS) }, anyText(12));

export const numberSpelling = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NUMBER_SPELLINGS) },
    fc.integer().map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  );

/** `levels` arrays inside each other, written as text: cheap to build at any depth. */
export const deepArray = (levels: number): JsonRaw => new JsonRaw(`${'['.repeat(levels)}${']'.repeat(levels)}`);

/** Any JSON value a careless or hostile client could put where one value belongs. */
export const hostileJson = (): fc.Arbitrary<JsonLike> =>
  fc.oneof(
    { weight: 4, arbitrary: hostileString() },
    { weight: 4, arbitrary: numberSpelling().map((text) => new JsonRaw(text)) },
    fc.constantFrom<JsonLike>(null, true, false, [], new JsonObject([]), [null], ['x'], [1, 2]),
    fc.constantFrom(2, 31, 32, 33, 1000, 100_000).map(deepArray),
    fc.tuple(hostileKey(), hostileString()).map(([key, value]) => new JsonObject([[key, value]])),
  );
