import fc from 'fast-check';
import { headerValue, percentEncode } from './http-encoding';
import { JsonLike, JsonObject, fromPlain, toJsonText } from './json-text';
import { tamperedCursor, hostileInstant } from './instants-and-cursors';
import { hostileJson, hostileKey, hostileUrlText, numberSpelling } from './hostile-values';
import { bodyMutation } from './body-mutations';
import type { Operation, Parameter } from './openapi';
import { KnownValues, validValue } from './valid-values';

/** A request as it goes on the wire, with a note of every way it departs from a valid one. */
export interface FuzzRequest {
  operation: string;
  method: string;
  /** Path and query string, already encoded. */
  target: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  /** Send the body chunked, without a Content-Length. */
  chunked?: boolean;
  mutations: string[];
}

/** A request while it is being built: still structured, so mutations can reach into each part. */
interface Draft {
  method: string;
  pathParams: Record<string, string>;
  /** Raw path text to use instead of the encoded parameter, per parameter. */
  rawPathParams: Record<string, string>;
  query: [string, string][];
  rawQuery: string;
  headers: Record<string, string | string[]>;
  body?: JsonLike;
  rawBody?: Buffer;
  /** A Content-Type to send instead of application/json; null sends none. */
  contentType?: string | null;
  chunked?: boolean;
  mutations: string[];
}

type Mutation = (draft: Draft) => Draft;

/** What the fuzzer knows besides the document: real ids and cursors of the seeded orders. */
export interface FuzzContext {
  known: KnownValues;
  /** Ids of orders that exist. */
  orderIds: readonly string[];
  cursors: readonly string[];
}

const withNote = (draft: Draft, note: string, change: Partial<Draft>): Draft => ({
  ...draft,
  ...change,
  mutations: [...draft.mutations, note],
});

const pick = <T>(items: readonly T[], at: number): T => items[at % items.length];

/** Values aimed at one parameter: its own kind of wrong first, anything hostile too. */
function hostileParameterValue(param: Parameter, ctx: FuzzContext): fc.Arbitrary<string> {
  const aimed: fc.Arbitrary<string>[] = [hostileUrlText()];
  if (param.name === 'cursor') aimed.push(tamperedCursor(ctx.cursors, ctx.orderIds));
  if (param.schema?.format === 'date-time') aimed.push(hostileInstant());
  if (param.schema?.format === 'uuid')
    aimed.push(
      fc.uuid(),
      fc.constantFrom(...ctx.orderIds).map((id) => id.toUpperCase()),
    );
  if (param.schema?.type === 'number' || param.schema?.type === 'integer') aimed.push(numberSpelling());
  if (param.in === 'header')
    aimed.push(fc.constantFrom('"1"', '"0"', '"-1"', '"99999999999999999999"', 'W/"1"', '*', '"1", "2"', '""'));
  return fc.oneof(...aimed);
}

/** Query strings and paths that no URL builder would produce. */
const RAW_QUERY_JUNK = [
  '%',
  '%zz',
  '%ED%A0%80=1',
  'a=%ED%A0%80',
  '%00=%00',
  '&&&',
  '=',
  '==',
  'a=1=2',
  'limit',
  'limit=',
  'status=PLACED&status=SHIPPED',
  ';',
  '+',
  '%2B%2B',
  '__proto__[x]=1',
  'constructor[prototype][x]=1',
  'cursor[]=a',
];

const RAW_PATH_JUNK = [
  '%',
  '%zz',
  '%00',
  '..',
  '%2e%2e',
  '%2F',
  'a%2Fb',
  '%ED%A0%80',
  '%F0%9F%98%80',
  '\u00e9',
  '%20',
  'x'.repeat(20_000),
];

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/json; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'application/json; charset=utf-16le',
  'application/json; charset=utf-32',
  'application/json; charset=bogus',
  'application/json; charset="utf-8"',
  'APPLICATION/JSON',
  'application/merge-patch+json',
  'application/problem+json',
  'application/jsonx',
  'application/',
  '*/*',
  '',
  ';;;',
  'application/json; boundary=--; q=0.9; charset=utf-8',
];

/** Headers any request may carry, each with values that have upset servers before. */
const EXTRA_HEADERS: Record<string, readonly string[]> = {
  'x-request-id': ['', 'a'.repeat(129), 'a b', '../x', 'é', '\u00ff'.repeat(3), '$(id)', 'ok-id.1:2'],
  'if-none-match': ['"1"', 'W/"1"', '*', '"1", "2"', '"', ',,,', 'x'.repeat(4000)],
  'content-encoding': ['gzip', 'deflate', 'br', 'identity', 'bogus', 'gzip, gzip', ''],
  accept: ['application/xml', '*/*', 'text/html;q=0.1', ''],
  'accept-charset': ['utf-16', 'bogus'],
  expect: ['100-continue', 'bogus', ''],
  'x-forwarded-for': ['127.0.0.1, ::1, <script>'],
  range: ['bytes=0-1', 'bytes=-1'],
  'transfer-encoding': ['identity'],
};

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'];

/** Ways to break a request other than its body, for one operation. */
function requestMutations(op: Operation, ctx: FuzzContext): fc.Arbitrary<Mutation>[] {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');
  const mutations: fc.Arbitrary<Mutation>[] = [];

  for (const param of pathParams) {
    mutations.push(
      hostileParameterValue(param, ctx).map(
        (value) => (d: Draft) =>
          withNote(d, `path ${param.name} = ${JSON.stringify(value)}`, {
            pathParams: { ...d.pathParams, [param.name]: value },
          }),
      ),
      fc.constantFrom(...RAW_PATH_JUNK).map(
        (raw) => (d: Draft) =>
          withNote(d, `path ${param.name} raw ${JSON.stringify(raw)}`, {
            rawPathParams: { ...d.rawPathParams, [param.name]: raw },
          }),
      ),
    );
  }
  for (const param of queryParams) {
    mutations.push(
      hostileParameterValue(param, ctx).map(
        (value) => (d: Draft) =>
          withNote(d, `query ${param.name} = ${JSON.stringify(value)}`, {
            query: [...d.query.filter(([name]) => name !== param.name), [param.name, value]],
          }),
      ),
    );
  }
  for (const param of headerParams) {
    const header = param.name.toLowerCase();
    mutations.push(
      hostileParameterValue(param, ctx).map(
        (value) => (d: Draft) =>
          withNote(d, `header ${param.name} = ${JSON.stringify(value)}`, {
            headers: { ...d.headers, [header]: headerValue(value) },
          }),
      ),
      fc.tuple(hostileParameterValue(param, ctx), hostileParameterValue(param, ctx)).map(
        ([a, b]) =>
          (d: Draft) =>
            withNote(d, `header ${param.name} twice`, {
              headers: { ...d.headers, [header]: [headerValue(a), headerValue(b)] },
            }),
      ),
    );
  }
  mutations.push(
    // Unknown query parameters, named like prototype members or patterns.
    fc.tuple(hostileKey(), hostileUrlText()).map(
      ([name, value]) =>
        (d: Draft) =>
          withNote(d, `query param ${JSON.stringify(name)} = ${JSON.stringify(value)}`, {
            query: [...d.query, [name, value]],
          }),
    ),
    fc.nat().map((at) => (d: Draft) => {
      if (d.query.length === 0) return d;
      const param = pick(d.query, at);
      return withNote(d, `query ${param[0]} twice`, { query: [...d.query, param] });
    }),
    fc
      .constantFrom(...RAW_QUERY_JUNK)
      .map((raw) => (d: Draft) => withNote(d, `raw query ${JSON.stringify(raw)}`, { rawQuery: raw })),
    fc.constantFrom(1001, 5000).map(
      (count) => (d: Draft) =>
        withNote(d, `${count} query params`, {
          rawQuery: Array.from({ length: count }, (_, i) => `p${i}=${i}`).join('&'),
        }),
    ),
    fc
      .constantFrom(...CONTENT_TYPES, undefined)
      .map((type) => (d: Draft) => withNote(d, `content-type ${JSON.stringify(type)}`, { contentType: type ?? null })),
    fc.tuple(fc.constantFrom(...Object.keys(EXTRA_HEADERS)), fc.nat()).map(([name, at]) => (d: Draft) => {
      const value = pick(EXTRA_HEADERS[name], at);
      return withNote(d, `header ${name}: ${JSON.stringify(value.slice(0, 60))}`, {
        headers: { ...d.headers, [name]: value },
      });
    }),
    fc.constant((d: Draft) => withNote(d, 'chunked body', { chunked: true })),
    fc
      .constantFrom(...METHODS.filter((m) => m !== op.method))
      .map((method) => (d: Draft) => withNote(d, `method ${method}`, { method })),
  );
  if (!op.body) {
    // A body where none belongs.
    mutations.push(
      hostileJson().map(
        (body) => (d: Draft) => withNote(d, 'unexpected body', { body: new JsonObject([['x', body]]) }),
      ),
    );
  }
  return mutations;
}

/** The valid request for an operation, as a draft. */
function validDraft(op: Operation, ctx: FuzzContext): fc.Arbitrary<Draft> {
  const param = (p: Parameter) => validValue(p.schema ?? {}, ctx.known, p.name).map(String);
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
  const byKind = (kind: Parameter['in']) => op.parameters.filter((p) => p.in === kind);
  const values = (params: Parameter[]) =>
    fc.tuple(...params.map((p) => (p.required || p.in === 'path' ? param(p) : optional(param(p)))));
  return fc
    .record({
      path: values(byKind('path')),
      query: values(byKind('query')),
      headers: values(byKind('header')),
      body: op.body ? validValue(op.body.schema, ctx.known) : fc.constant(undefined),
    })
    .map(({ path, query, headers, body }) => {
      const named = (params: Parameter[], given: (string | undefined)[]) =>
        params.map((p, i) => [p.name, given[i]] as const).filter((entry): entry is [string, string] => !!entry[1]);
      return {
        method: op.method,
        pathParams: Object.fromEntries(named(byKind('path'), path)),
        rawPathParams: {},
        query: named(byKind('query'), query),
        rawQuery: '',
        headers: Object.fromEntries(named(byKind('header'), headers).map(([n, v]) => [n.toLowerCase(), v])),
        body: body === undefined ? undefined : fromPlain(body),
        mutations: [],
      };
    });
}

/** Requests for one operation: its valid request now and then, mostly with one to three mutations. */
export function requestsFor(op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const mutations = requestMutations(op, ctx);
  const bodyMutations = op.body
    ? [
        bodyMutation().map((change): Mutation => (d) => {
          if (d.body === undefined) return d;
          const result = change(d.body);
          return withNote(d, result.note, { body: result.body ?? d.body, rawBody: result.rawBody ?? d.rawBody });
        }),
      ]
    : [];
  const mutation = fc.oneof(
    ...mutations.map((arbitrary) => ({ weight: 1, arbitrary })),
    ...bodyMutations.map((arbitrary) => ({ weight: mutations.length, arbitrary })),
  );
  return fc.tuple(validDraft(op, ctx), fc.array(mutation, { maxLength: 3 })).map(([draft, changes]) =>
    toRequest(
      op,
      changes.reduce((d, change) => change(d), draft),
    ),
  );
}

function toRequest(op: Operation, draft: Draft): FuzzRequest {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name in draft.rawPathParams ? draft.rawPathParams[name] : percentEncode(draft.pathParams[name] ?? ''),
  );
  const query = [
    ...draft.query.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`),
    ...(draft.rawQuery ? [draft.rawQuery] : []),
  ].join('&');
  const headers: Record<string, string | string[]> = { ...draft.headers };
  const body = draft.rawBody ?? (draft.body === undefined ? undefined : Buffer.from(toJsonText(draft.body), 'utf8'));
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (draft.contentType === null) delete headers['content-type'];
  else if (draft.contentType !== undefined) headers['content-type'] = draft.contentType;
  const request: FuzzRequest = {
    operation: `${op.method} ${op.path}`,
    method: draft.method,
    target: query ? `${path}?${query}` : path,
    headers,
    body,
    chunked: draft.chunked,
    mutations: draft.mutations,
  };
  // How fast-check shows the request in a counterexample: readable, not a byte array.
  return Object.defineProperty(request, fc.toStringMethod, { value: () => describeRequest(request) });
}

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text: UTF-8 where it is, byte by byte (Latin-1) where it is not. */
function bodyText(body: Buffer): string {
  try {
    return JSON.stringify(clip(utf8.decode(body), 1_500));
  } catch {
    return `${JSON.stringify(clip(body.toString('latin1'), 1_500))} (not UTF-8: bytes shown as Latin-1)`;
  }
}

/** Method, target, mutations, headers and body: enough to replay the request by hand. */
export function describeRequest(req: FuzzRequest): string {
  const body = req.body === undefined ? '(none)' : bodyText(req.body);
  return [
    `${req.method} ${clip(req.target, 1_000)}   [operation ${req.operation}]`,
    `  mutations: ${req.mutations.length ? req.mutations.map((m) => clip(m, 200)).join(' | ') : '(none: a valid request)'}`,
    `  headers: ${clip(JSON.stringify(req.headers), 1_000)}${req.chunked ? ' (chunked)' : ''}`,
    `  body: ${body}`,
  ].join('\n');
}
