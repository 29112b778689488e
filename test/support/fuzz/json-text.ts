/**
 * JSON as a client can write it, which is more than JSON.stringify can: numbers spelled any way
 * (`1e308`, `-0`, `2.9999999999999999`), the same key twice, and raw fragments (deep nesting, broken
 * syntax) that would be costly or impossible to build as values.
 */
export type JsonLike = null | boolean | number | string | JsonRaw | JsonLike[] | JsonObject;

/** Written out as it is: a number spelling, or any text at all. */
export class JsonRaw {
  constructor(readonly text: string) {}
}

/** An object as a list of members, so a key can occur twice. */
export class JsonObject {
  constructor(readonly members: [string, JsonLike][]) {}
}

/** A plain value (from JSON.parse, or built from a schema) as JsonLike. */
export function fromPlain(value: unknown): JsonLike {
  if (Array.isArray(value)) return value.map(fromPlain);
  if (value !== null && typeof value === 'object') {
    return new JsonObject(Object.entries(value).map(([key, member]) => [key, fromPlain(member)]));
  }
  if (value === undefined) return null;
  return value as JsonLike;
}

export function toJsonText(value: JsonLike): string {
  if (value instanceof JsonRaw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value instanceof JsonObject) {
    return `{${value.members.map(([key, member]) => `${JSON.stringify(key)}:${toJsonText(member)}`).join(',')}}`;
  }
  // Lone surrogates are written as \u escapes by JSON.stringify, so they arrive as the client meant.
  return JSON.stringify(value);
}

/** Where a value sits in a body: object keys and array indexes from the root. */
export type JsonPath = (string | number)[];

/** Every path in the value, the root (empty path) included. */
export function pathsOf(value: JsonLike, at: JsonPath = []): JsonPath[] {
  const children: JsonPath[] = Array.isArray(value)
    ? value.flatMap((item, index) => pathsOf(item, [...at, index]))
    : value instanceof JsonObject
      ? value.members.flatMap(([, member], index) => pathsOf(member, [...at, index]))
      : [];
  return [at, ...children];
}

/**
 * The value with the node at `path` replaced by what `change` makes of it (undefined removes it).
 * Object members are addressed by position, so duplicated keys stay distinct.
 */
export function updateAt(
  value: JsonLike,
  path: JsonPath,
  change: (node: JsonLike) => JsonLike | undefined,
): JsonLike | undefined {
  if (path.length === 0) return change(value);
  const [head, ...rest] = path;
  const index = Number(head);
  if (Array.isArray(value)) {
    const copy = [...value];
    const updated = updateAt(copy[index], rest, change);
    if (updated === undefined) copy.splice(index, 1);
    else copy[index] = updated;
    return copy;
  }
  if (value instanceof JsonObject) {
    const members = [...value.members];
    const [key, member] = members[index];
    const updated = updateAt(member, rest, change);
    if (updated === undefined) members.splice(index, 1);
    else members[index] = [key, updated];
    return new JsonObject(members);
  }
  return value;
}

/** Readable names for failure messages: `lines[0].quantity`. */
export function describePath(value: JsonLike, path: JsonPath): string {
  let node: JsonLike = value;
  let text = '';
  for (const step of path) {
    if (Array.isArray(node)) {
      text += `[${step}]`;
      node = node[Number(step)];
    } else if (node instanceof JsonObject) {
      const [key, member] = node.members[Number(step)];
      text += text ? `.${key}` : key;
      node = member;
    }
  }
  return text || '(root)';
}
