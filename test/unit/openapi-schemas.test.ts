import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { isISO31661Alpha2, isISO4217CurrencyCode } from 'class-validator';
import { apiDocument } from '../support/openapi-document';
import { ResponseContract } from '../support/openapi-contract';
import { orderDraft } from '../support/http';

const schemaOf = async (name: string) => ((await apiDocument()).components!.schemas as Record<string, any>)[name];

/** Every string of one to three characters over letters, and the characters that upper-case to letters. */
function* shortStrings(): Generator<string> {
  const alphabet = [
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    'ı',
    'ſ',
    'ß',
    'ﬀ',
    'ﬁ',
    'ﬅ',
    'ﬆ',
    'K',
    '1',
    ' ',
  ];
  for (const a of alphabet) {
    yield a;
    for (const b of alphabet) {
      yield a + b;
      for (const c of alphabet) yield a + b + c;
    }
  }
}

describe('request schemas of the OpenAPI document', () => {
  it('accept exactly the currency and country codes the validators accept', async () => {
    const currency = new RegExp((await schemaOf('CreateOrderDto')).properties.currency.pattern, 'u');
    const country = new RegExp((await schemaOf('ShippingAddressDto')).properties.country.pattern, 'u');
    let accepted = 0;
    for (const value of shortStrings()) {
      assert.equal(currency.test(value), isISO4217CurrencyCode(value), `currency ${value}`);
      assert.equal(country.test(value), isISO31661Alpha2(value), `country ${value}`);
      if (currency.test(value)) accepted++;
    }
    assert.ok(accepted > 1000, 'every letter case of every code');
  });

  it('refuse fractions, out-of-range numbers and unknown fields, and take a valid order', async () => {
    const ajv = new Ajv({ strict: false });
    const document = { ...(await apiDocument()), $id: 'doc' };
    ajv.addSchema(document);
    const validOrder = ajv.getSchema('doc#/components/schemas/CreateOrderDto')!;
    const line = { sku: 'SKU-1', name: 'Keyboard', quantity: 2, unitPrice: 4999 };
    assert.equal(validOrder(orderDraft()), true, ajv.errorsText(validOrder.errors));
    for (const bad of [
      { ...line, unitPrice: 49.99 },
      { ...line, unitPrice: 1_000_000_000_001 },
      { ...line, quantity: 0 },
      { ...line, quantity: 10_001 },
      { ...line, sku: '' },
      { ...line, colour: 'red' },
    ]) {
      assert.equal(validOrder(orderDraft({ lines: [bad] })), false, JSON.stringify(bad));
    }
    assert.equal(validOrder(orderDraft({ giftWrap: true })), false);
  });
});

describe('the response contract check', () => {
  const order = {
    ...orderDraft(),
    id: '019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80',
    status: 'PLACED',
    lines: [{ sku: 'SKU-1', name: 'Keyboard', quantity: 2, unitPrice: 4999, lineTotal: 9998 }],
    totalAmount: 9998,
    notes: null,
    version: 1,
    createdAt: '2026-11-27T00:00:00.000Z',
    updatedAt: '2026-11-27T00:00:00.000Z',
    confirmedAt: null,
    shippedAt: null,
    deliveredAt: null,
    cancelledAt: null,
    cancellationReason: null,
  };
  const headers = (extra: Record<string, string> = {}) =>
    new Headers({
      'content-type': 'application/json',
      'x-request-id': 'r-1',
      etag: '"1"',
      'x-cache': 'MISS',
      ...extra,
    });
  const get = { method: 'GET', path: `/api/orders/${order.id}` };

  it('passes a documented response and names what breaks the document', async () => {
    const contract = new ResponseContract(await apiDocument());
    assert.deepEqual(contract.check({ ...get, status: 200, headers: headers(), body: order }), []);
    assert.match(
      contract.check({ ...get, status: 200, headers: headers(), body: { ...order, totalAmount: 99.98 } })!.join(),
      /must be integer/,
    );
    assert.match(
      contract.check({ ...get, status: 201, headers: headers(), body: order })!.join(),
      /status 201 is not documented/,
    );
    const withoutEtag = headers();
    withoutEtag.delete('etag');
    assert.match(
      contract.check({ ...get, status: 200, headers: withoutEtag, body: order })!.join(),
      /header ETag is missing/,
    );
    assert.equal(
      contract.check({ method: 'GET', path: '/docs', status: 200, headers: headers(), body: '' }),
      undefined,
    );
  });
});
