import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestValidationError } from '@app/http';
import { BulkOrdersValidationPipe } from '../../apps/orders/src/api/bulk-orders-validation.pipe';
import { orderDraft } from '../support/http';

const pipe = new BulkOrdersValidationPipe();
const bulk = (count: number) => ({ orders: Array.from({ length: count }, () => orderDraft()) });

describe('bulk validation', () => {
  it('lets other work run while it validates a large bulk, instead of holding the event loop', async () => {
    const events: string[] = [];
    setImmediate(() => events.push('other work'));
    const { orders } = await pipe.transform(bulk(200));
    events.push('bulk validated');
    assert.equal(orders.length, 200);
    assert.deepEqual(events, ['other work', 'bulk validated']);
  });

  it('names every bad field by its path in the bulk', async () => {
    const body = bulk(5);
    body.orders[3] = orderDraft({ lines: [{ sku: 'A', name: 'A', quantity: 0, unitPrice: 1 }] });
    body.orders[4] = { ...orderDraft(), surprise: true } as never;
    const error = await pipe.transform(body).then(
      () => assert.fail('expected the bulk to be rejected'),
      (rejected: unknown) => rejected,
    );
    assert.ok(error instanceof RequestValidationError);
    assert.deepEqual(error.errors, [
      { field: 'orders[3].lines[0].quantity', message: 'orders[3].lines[0].quantity must not be less than 1' },
      { field: 'orders[4].surprise', message: 'property orders[4].surprise should not exist' },
    ]);
  });
});
