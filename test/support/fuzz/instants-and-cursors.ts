import fc from 'fast-check';
import { hostileUrlText } from './hostile-values';

/** Date-time spellings at and past every edge JavaScript, PostgreSQL and ISO 8601 have. */
const EDGE_INSTANTS = [
  '0001-01-01T00:00:00.000Z',
  '0000-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59.999Z',
  '+010000-01-01T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '+275760-09-13T00:00:00.001Z',
  '4714-11-24T00:00:00 BC',
  '294277-01-01T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T23:59:60Z',
  '2026-01-01T00:00:00+99:00',
  '2026-01-01',
  '2026',
  '1',
  '0',
  '-1',
  '1e308',
  '8.64e15',
  '8640000000000001',
  'infinity',
  '-infinity',
  'epoch',
  'now',
  'today',
  'allballs',
  'Invalid Date',
  'Tue Jan 01 2026',
  '2026-01-01T00:00:00.123456789Z',
];

/** A valid instant, a spelling at an edge, or any text. */
export const hostileInstant = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((date) => date.toISOString()),
    { weight: 3, arbitrary: fc.constantFrom(...EDGE_INSTANTS) },
    hostileUrlText(),
  );

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/**
 * Cursors a client could forge, next to the real ones: base64url of junk, of JSON of the wrong
 * shape, of instants out of range, of ids that are not UUIDs; and text that is not base64url at all.
 */
export const tamperedCursor = (realCursors: readonly string[], realIds: readonly string[]): fc.Arbitrary<string> => {
  const id = fc.oneof(fc.constantFrom(...realIds), fc.uuid(), hostileUrlText());
  const instant = fc.oneof(hostileInstant(), fc.double().map(String));
  const anyJson = fc.oneof(fc.jsonValue(), hostileUrlText());
  return fc.oneof(
    fc.constantFrom(...realCursors),
    fc.tuple(instant, id).map(([at, uuid]) => base64url(JSON.stringify([at, uuid]))),
    fc.tuple(fc.double(), id).map(([at, uuid]) => base64url(JSON.stringify([at, uuid]))),
    fc.array(anyJson, { maxLength: 4 }).map((items) => base64url(JSON.stringify(items))),
    anyJson.map((value) => base64url(JSON.stringify(value) ?? 'undefined')),
    hostileUrlText().map(base64url),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
    // A real cursor with characters flipped, cut short or grown.
    fc
      .tuple(fc.constantFrom(...realCursors), fc.nat(), hostileUrlText())
      .map(([cursor, at, text]) => cursor.slice(0, at % cursor.length) + text + cursor.slice((at % cursor.length) + 1)),
    hostileUrlText(),
  );
};
