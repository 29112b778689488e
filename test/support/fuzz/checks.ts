import type { ResponseContract } from '../openapi-contract';
import type { FuzzResponse } from './client';
import { describeRequest, type FuzzRequest } from './requests';

/** The slowest answer the issue allows for anything a client sends. */
export const MAX_RESPONSE_MS = 1_000;

/** What is wrong with a response, whatever the request was: empty when nothing is. */
export function responseFaults(res: FuzzResponse): string[] {
  if (res.error !== undefined) return [`no response: ${res.error}`];
  const faults: string[] = [];
  if (res.status >= 500) faults.push(`status ${res.status}: a client's request became a server error`);
  if (res.ms > MAX_RESPONSE_MS) faults.push(`took ${Math.round(res.ms)} ms (over ${MAX_RESPONSE_MS} ms)`);
  if (res.status >= 400 && res.status < 500) faults.push(...problemFaults(res));
  return faults;
}

/** What the OpenAPI document does not allow in the response (nothing for routes it does not describe). */
export function contractFaults(contract: ResponseContract, req: FuzzRequest, res: FuzzResponse): string[] {
  if (res.error !== undefined) return [];
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const one of [value ?? []].flat()) headers.append(name, one);
  }
  let body: unknown = res.text;
  if (/json/.test(headers.get('content-type') ?? '') && res.text !== '') {
    try {
      body = JSON.parse(res.text);
    } catch {
      return ['a JSON content type with a body that is not JSON'];
    }
  }
  const problems = contract.check({ method: req.method, path: req.target, status: res.status, headers, body }) ?? [];
  return problems.map((problem) => `against the OpenAPI document: ${problem}`);
}

function problemFaults(res: FuzzResponse): string[] {
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) return [`a ${res.status} with content-type "${type}"`];
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.text) as Record<string, unknown>;
  } catch {
    return [`a ${res.status} whose body is not JSON`];
  }
  const faults: string[] = [];
  for (const member of ['type', 'title', 'detail']) {
    if (typeof body?.[member] !== 'string' || body[member] === '') faults.push(`problem without "${member}"`);
  }
  if (body?.status !== res.status) faults.push(`problem status ${String(body?.status)} for HTTP ${res.status}`);
  return faults;
}

/** The request and the response, enough to replay the one and recognise the other. */
export function describeExchange(req: FuzzRequest, res: FuzzResponse): string {
  const text = res.text.length > 1_500 ? `${res.text.slice(0, 1_500)}... (${res.text.length} chars)` : res.text;
  return [
    describeRequest(req),
    `  -> ${res.error ?? res.status} in ${Math.round(res.ms)} ms, content-type ${String(res.headers['content-type'])}`,
    `  response: ${text}`,
  ].join('\n');
}

export function describeRawExchange(raw: string, res: FuzzResponse): string {
  return [
    `  raw request: ${JSON.stringify(raw.length > 1_000 ? `${raw.slice(0, 1_000)}... (${raw.length} chars)` : raw)}`,
    `  -> ${res.error ?? res.status} in ${Math.round(res.ms)} ms: ${JSON.stringify(res.text.slice(0, 500))}`,
  ].join('\n');
}
