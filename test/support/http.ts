import { assertKeepsContract } from './openapi-contract';

/** A small JSON client over fetch that keeps status, headers and the parsed body together. */
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const response = {
    status: res.status,
    headers: res.headers,
    body: text && type.includes('json') ? JSON.parse(text) : text,
  };
  // Every response the suites see is also checked against the OpenAPI document.
  await assertKeepsContract({ method, path, ...response });
  return response;
}

export function orderDraft(overrides: Record<string, unknown> = {}) {
  return {
    customerId: 'customer-1',
    currency: 'EUR',
    lines: [
      { sku: 'SKU-1', name: 'Keyboard', quantity: 2, unitPrice: 4999 },
      { sku: 'SKU-2', name: 'Mouse', quantity: 1, unitPrice: 2500 },
    ],
    shippingAddress: {
      recipient: 'Ada Lovelace',
      line1: '12 St James Square',
      city: 'London',
      postalCode: 'SW1Y 4JH',
      country: 'GB',
    },
    ...overrides,
  };
}
