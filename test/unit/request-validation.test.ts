import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createValidationPipe, RequestValidationError } from '@app/http';
import { CreateOrderDto } from '../../apps/orders/src/api/dto/create-order.dto';
import { ListOrdersQuery } from '../../apps/orders/src/api/dto/list-orders.query';
import { orderDraft } from '../support/http';

const pipe = createValidationPipe();
const validate = (value: unknown, metatype: new () => unknown, type: 'body' | 'query' = 'body') =>
  pipe.transform(value, { type, metatype });

async function fieldErrors(value: unknown, metatype: new () => unknown): Promise<string[]> {
  try {
    await validate(value, metatype);
  } catch (error) {
    assert.ok(error instanceof RequestValidationError);
    return error.errors.map((e) => e.field);
  }
  assert.fail('expected the value to be rejected');
}

describe('request validation', () => {
  it('accepts a well-formed order', async () => {
    const dto = (await validate(orderDraft(), CreateOrderDto)) as CreateOrderDto;
    assert.equal(dto.lines.length, 2);
  });

  it('lists every bad field with its path, nested ones included', async () => {
    const fields = await fieldErrors(
      orderDraft({
        currency: 'EURO',
        lines: [{ sku: '', name: 'x', quantity: 0, unitPrice: 12.5 }],
        shippingAddress: { recipient: 'R', line1: 'L', city: 'C', postalCode: 'P', country: 'Narnia' },
      }),
      CreateOrderDto,
    );
    assert.deepEqual(fields.sort(), [
      'currency',
      'lines[0].quantity',
      'lines[0].sku',
      'lines[0].unitPrice',
      'shippingAddress.country',
    ]);
  });

  it('rejects unknown fields, also inside lines', async () => {
    const fields = await fieldErrors(
      orderDraft({ total: 1, lines: [{ sku: 'A', name: 'A', quantity: 1, unitPrice: 1, discount: 5 }] }),
      CreateOrderDto,
    );
    assert.deepEqual(fields.sort(), ['lines[0].discount', 'total']);
  });

  it('rejects an order without lines', async () => {
    assert.deepEqual(await fieldErrors(orderDraft({ lines: [] }), CreateOrderDto), ['lines']);
  });

  it('converts list query strings and bounds the page size', async () => {
    const query = (await validate(
      { limit: '5', createdFrom: '2026-01-01T00:00:00Z' },
      ListOrdersQuery,
      'query',
    )) as ListOrdersQuery;
    assert.equal(query.limit, 5);
    assert.ok(query.createdFrom instanceof Date);
    assert.deepEqual(await fieldErrors({ limit: '101' }, ListOrdersQuery), ['limit']);
    assert.deepEqual(await fieldErrors({ createdTo: 'yesterday' }, ListOrdersQuery), ['createdTo']);
  });

  it('reports unknown fields by their literal names, regular-expression characters included', async () => {
    for (const name of ['.*', 'a|property', '$&', '(a+)+$']) {
      for (const [value, metatype, type] of [
        [{ ...orderDraft(), [name]: 1 }, CreateOrderDto, 'body'],
        [{ [name]: '1' }, ListOrdersQuery, 'query'],
      ] as const) {
        const error = await validate(value, metatype, type).then(
          () => assert.fail('expected the value to be rejected'),
          (rejected: unknown) => rejected,
        );
        assert.ok(error instanceof RequestValidationError);
        assert.deepEqual(error.errors, [{ field: name, message: `property ${name} should not exist` }]);
      }
    }
  });
});
