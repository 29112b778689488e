import fc from 'fast-check';
import { deepArray, hostileJson, hostileKey, hostileString, numberSpelling } from './hostile-values';
import { JsonLike, JsonObject, JsonPath, JsonRaw, describePath, pathsOf, toJsonText, updateAt } from './json-text';

/** A body after a mutation: still structured, or bytes that no longer parse as one. */
export interface BodyChange {
  note: string;
  body?: JsonLike;
  rawBody?: Buffer;
}

export type BodyMutation = (body: JsonLike) => BodyChange;

const preview = (value: JsonLike) => {
  const text = toJsonText(value);
  return text.length > 80 ? `${text.slice(0, 80)}... (${text.length} chars)` : text;
};

const nodeAt = (body: JsonLike, path: JsonPath): JsonLike => {
  let node = body;
  for (const step of path) {
    node = Array.isArray(node) ? node[Number(step)] : node instanceof JsonObject ? node.members[Number(step)][1] : node;
  }
  return node;
};

/** A mutation at one node: `at` picks the node among those `where` accepts (any node by default). */
const atNode =
  (
    at: number,
    change: (node: JsonLike, where: string) => { note: string; node: JsonLike | undefined } | undefined,
    where: (node: JsonLike, path: JsonPath) => boolean = () => true,
  ): BodyMutation =>
  (body) => {
    const candidates = pathsOf(body).filter((path) => where(nodeAt(body, path), path));
    if (candidates.length === 0) return { note: 'no node to mutate', body };
    const path = candidates[at % candidates.length];
    const result = change(nodeAt(body, path), describePath(body, path));
    if (!result) return { note: 'no change', body };
    const updated = updateAt(body, path, () => result.node);
    return { note: result.note, body: updated === undefined ? new JsonRaw('') : updated };
  };

const isLeaf = (node: JsonLike) => !Array.isArray(node) && !(node instanceof JsonObject);
const isObject = (node: JsonLike): node is JsonObject => node instanceof JsonObject;
const isArray = (node: JsonLike): node is JsonLike[] => Array.isArray(node);
const nullEverywhere = (node: JsonLike): JsonLike =>
  isArray(node)
    ? node.map(nullEverywhere)
    : isObject(node)
      ? new JsonObject(node.members.map(([key, member]) => [key, isLeaf(member) ? null : nullEverywhere(member)]))
      : null;

/** Bodies that are not the JSON object they should be, from a little off to not JSON at all. */
const RAW_BODIES: ((text: string) => string | Buffer)[] = [
  () => '',
  () => ' ',
  () => 'null',
  () => '0',
  () => '"x"',
  () => '[]',
  () => '{',
  () => '}',
  () => '{"a":1,}',
  () => "{'a':1}",
  () => '{"a":NaN}',
  () => '{"a":Infinity}',
  () => '{"a":1}/* comment */',
  () => '{"a":"\\ud800"}',
  () => '{"a":"\\u0000"}',
  () => '{"\\u0000":1}',
  () => '{"a":"\u0000"}',
  () => '{"a":01}',
  () => '{"a":.5}',
  () => '{"a":-}',
  () => '{"a":"\\x41"}',
  () => '\u0000',
  (text) => `\ufeff${text}`,
  (text) => `${text}${text}`,
  (text) => `${text}garbage`,
  (text) => `[${text}]`,
  (text) => `${' '.repeat(100_000)}${text}`,
  (text) => Buffer.from(text, 'utf16le'),
  (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
  (text) => Buffer.from(text, 'latin1'),
  (text) => Buffer.from([...Buffer.from(text)].map((byte) => (byte === 0x22 ? 0xff : byte))),
  (text) => Buffer.concat([Buffer.from(text.slice(0, text.length >> 1)), Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80])]),
];

/** Ways to break a JSON body, keeping the rest of it valid so each reaches past the parser. */
export function bodyMutation(): fc.Arbitrary<BodyMutation> {
  return fc.oneof(
    fc
      .tuple(fc.nat(), hostileJson())
      .map(([at, value]) => atNode(at, (_node, where) => ({ note: `body ${where} = ${preview(value)}`, node: value }))),
    // A number spelled any way where a number belongs, hostile text where text belongs.
    fc
      .tuple(fc.nat(), numberSpelling(), hostileString())
      .map(([at, spelling, text]) =>
        atNode(
          at,
          (node, where) =>
            typeof node === 'number'
              ? { note: `body ${where} = ${spelling}`, node: new JsonRaw(spelling) }
              : { note: `body ${where} = ${preview(text)}`, node: text },
          isLeaf,
        ),
      ),
    fc.nat().map((at) => atNode(at, (_node, where) => ({ note: `body ${where} = null`, node: null }))),
    fc.nat().map((at) =>
      atNode(
        at,
        (_node, where) => ({ note: `body ${where} removed`, node: undefined }),
        (_n, path) => path.length > 0,
      ),
    ),
    fc.tuple(fc.nat(), hostileKey(), hostileJson()).map(([at, key, value]) =>
      atNode(
        at,
        (node, where) => ({
          note: `body ${where} gets member ${JSON.stringify(key)} = ${preview(value)}`,
          node: new JsonObject([...(node as JsonObject).members, [key, value]]),
        }),
        isObject,
      ),
    ),
    // The same key twice: JSON.parse keeps the last, other parsers the first.
    fc.tuple(fc.nat(), fc.nat(), hostileJson(), fc.boolean()).map(([at, member, value, before]) =>
      atNode(
        at,
        (node, where) => {
          const { members } = node as JsonObject;
          if (members.length === 0) return undefined;
          const [key, current] = members[member % members.length];
          const twice: [string, JsonLike][] = before
            ? [
                [key, value],
                [key, current],
              ]
            : [
                [key, current],
                [key, value],
              ];
          return {
            note: `body ${where}.${key} twice, ${before ? 'first' : 'last'} ${preview(value)}`,
            node: new JsonObject([...members.filter(([k]) => k !== key), ...twice]),
          };
        },
        isObject,
      ),
    ),
    // Arrays where objects belong and objects where arrays belong.
    fc.nat().map((at) => atNode(at, (node, where) => ({ note: `body ${where} wrapped in []`, node: [node] }))),
    fc.nat().map((at) =>
      atNode(
        at,
        (node, where) => ({
          note: `body ${where} array as object`,
          node: new JsonObject((node as JsonLike[]).map((item, index) => [String(index), item])),
        }),
        isArray,
      ),
    ),
    fc.nat().map((at) =>
      atNode(
        at,
        (node, where) => ({
          note: `body ${where} object as array`,
          node: (node as JsonObject).members.map(([, v]) => v),
        }),
        isObject,
      ),
    ),
    // Arrays at and past their limits (100 lines, 1,000 orders) and far beyond.
    fc.tuple(fc.nat(), fc.constantFrom(0, 99, 100, 101, 999, 1000, 1001, 5000)).map(([at, size]) =>
      atNode(
        at,
        (node, where) => {
          const items = node as JsonLike[];
          if (items.length === 0) return undefined;
          return {
            note: `body ${where} grown to ${size} items`,
            node: Array.from({ length: size }, (_, i) => items[i % items.length]),
          };
        },
        isArray,
      ),
    ),
    fc
      .tuple(fc.nat(), fc.constantFrom(31, 33, 10_000))
      .map(([at, levels]) =>
        atNode(at, (_node, where) => ({ note: `body ${where} nested ${levels} deep`, node: deepArray(levels) })),
      ),
    fc.constant<BodyMutation>((body) => ({ note: 'body: null for every field', body: nullEverywhere(body) })),
    fc.nat().map((at): BodyMutation => (body) => {
      const text = toJsonText(body);
      return {
        note: `body cut at ${at % (text.length + 1)}`,
        rawBody: Buffer.from(text.slice(0, at % (text.length + 1))),
      };
    }),
    fc.nat(RAW_BODIES.length - 1).map((index): BodyMutation => (body) => {
      const raw = RAW_BODIES[index](toJsonText(body));
      const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
      return {
        note: `raw body #${index}: ${JSON.stringify(bytes.subarray(0, 60).toString('latin1'))}`,
        rawBody: bytes,
      };
    }),
  );
}
