/**
 * One order's whole lifecycle through a client generated from the OpenAPI document (openapi-typescript
 * types, openapi-fetch calls). The contract suite generates `./api` next to a copy of this file and
 * compiles both with tsc: a type the document gets wrong breaks the compilation or these checks.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './api';

type Order = components['schemas']['OrderResponse'];

function expect(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`generated client: ${what}`);
}

/** Runs place, get (then 304 with If-None-Match), revise, patch, confirm, ship, deliver and list; returns the steps taken. */
export async function runOrderLifecycle(baseUrl: string): Promise<string[]> {
  const client = createClient<paths>({ baseUrl });
  const steps: string[] = [];

  const placed = await client.POST('/api/orders', {
    params: { header: { 'Idempotency-Key': `lifecycle-${Date.now()}` } },
    body: {
      customerId: 'generated-client',
      currency: 'EUR',
      lines: [{ sku: 'SKU-1', name: 'Keyboard', quantity: 2, unitPrice: 4999 }],
      shippingAddress: {
        recipient: 'Ada Lovelace',
        line1: '12 St James Square',
        city: 'London',
        postalCode: 'SW1Y 4JH',
        country: 'GB',
      },
    },
  });
  expect(placed.response.status === 201 && placed.data !== undefined, `place answered ${placed.response.status}`);
  const id = placed.data.id;
  const total: number = placed.data.totalAmount;
  expect(total === 9998, `total ${total}`);
  steps.push('placed');

  const fetched = await client.GET('/api/orders/{id}', { params: { path: { id } } });
  const etag = fetched.response.headers.get('etag');
  expect(fetched.data?.version === 1 && etag === '"1"', `get answered version ${fetched.data?.version}, ETag ${etag}`);
  const unchanged = await client.GET('/api/orders/{id}', {
    params: { path: { id }, header: { 'If-None-Match': etag } },
  });
  expect(unchanged.response.status === 304, `If-None-Match answered ${unchanged.response.status}`);
  steps.push('not modified');

  const revised = await client.PUT('/api/orders/{id}', {
    params: { path: { id }, header: { 'If-Match': etag } },
    body: {
      lines: [{ sku: 'SKU-2', name: 'Mouse', quantity: 1, unitPrice: 2500 }],
      shippingAddress: placed.data.shippingAddress,
      notes: 'Leave at the reception',
    },
  });
  expect(
    revised.data?.version === 2 && revised.data.totalAmount === 2500,
    `revise answered ${revised.response.status}`,
  );
  steps.push('revised');

  const patched = await client.PATCH('/api/orders/{id}', {
    params: { path: { id }, header: { 'If-Match': '"2"' } },
    body: { notes: null, shippingAddress: { line2: 'Flat 3' } },
    // openapi-fetch sends application/json unless told; the operation takes merge patches only.
    headers: { 'Content-Type': 'application/merge-patch+json' },
  });
  expect(
    patched.data?.version === 3 && patched.data.notes === null && patched.data.shippingAddress.line2 === 'Flat 3',
    `patch answered ${patched.response.status}`,
  );
  steps.push('patched');

  let order: Order = patched.data;
  for (const step of ['confirm', 'ship', 'deliver'] as const) {
    const moved = await client.POST(`/api/orders/{id}/${step}`, {
      params: { path: { id }, header: { 'If-Match': `"${order.version}"` } },
    });
    expect(moved.data !== undefined, `${step} answered ${moved.response.status}`);
    order = moved.data;
    steps.push(order.status);
  }

  const listed = await client.GET('/api/orders', { params: { query: { customerId: 'generated-client', limit: 10 } } });
  expect(
    listed.data?.items.some((item) => item.id === id && item.status === 'DELIVERED') === true,
    'list misses the order',
  );
  steps.push('listed');
  return steps;
}
