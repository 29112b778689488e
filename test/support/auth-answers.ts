import assert from 'node:assert/strict';
import type { JsonResponse } from './http';

/** The headers of a request that carries `token`. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

export const CHALLENGE = 'Bearer realm="orders"';
export const INSUFFICIENT_SCOPE = 'Bearer realm="orders", error="insufficient_scope"';
const INVALID_TOKEN = /^Bearer realm="orders", error="invalid_token", error_description="(?:[^"\\]|\\.)+"$/;

/**
 * What is wrong with a 401 (nothing: []). A request that presented a Bearer token is told it is
 * invalid; one without (or in another scheme) gets the bare challenge (RFC 6750, section 3.1).
 */
export function unauthenticatedFaults(res: JsonResponse, tokenPresented: boolean): string[] {
  const faults: string[] = [];
  if (res.status !== 401) faults.push(`status ${res.status}`);
  if (!/^application\/problem\+json/.test(res.headers.get('content-type') ?? '')) faults.push('not problem+json');
  if (res.body?.type !== 'urn:problem:orders:unauthenticated') faults.push(`type ${res.body?.type}`);
  const challenge = res.headers.get('www-authenticate') ?? '';
  const expected = tokenPresented ? INVALID_TOKEN.test(challenge) : challenge === CHALLENGE;
  if (!expected) faults.push(`WWW-Authenticate ${JSON.stringify(challenge)}`);
  return faults;
}

export function assertUnauthenticated(res: JsonResponse, tokenPresented: boolean): void {
  assert.deepEqual(unauthenticatedFaults(res, tokenPresented), [], JSON.stringify(res.body));
}

export function assertForbidden(res: JsonResponse): void {
  assert.equal(res.status, 403, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.type, 'urn:problem:orders:forbidden');
  assert.equal(res.headers.get('www-authenticate'), INSUFFICIENT_SCOPE);
}

export function assertOrderNotFound(res: JsonResponse): void {
  assert.equal(res.status, 404, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.type, 'urn:problem:orders:order-not-found');
}

/** Runs `work` over `items`, at most `limit` at a time, answers in the order of the items. */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
