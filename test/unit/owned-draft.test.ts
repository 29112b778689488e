import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessDeniedError } from '@app/auth';
import { RequestValidationError } from '@app/http';
import type { CreateOrderDto } from '../../apps/orders/src/api/dto/create-order.dto';
import { ownedDraft } from '../../apps/orders/src/api/owned-draft';
import { orderDraft } from '../support/http';

const body = (customerId?: string) => ({ ...orderDraft(), customerId }) as CreateOrderDto;

describe('whose order a caller places', () => {
  it("is a customer's own: named or left out, never another's", () => {
    assert.equal(ownedDraft(body(undefined), 'customer-1').customerId, 'customer-1');
    assert.equal(ownedDraft(body('customer-1'), 'customer-1').customerId, 'customer-1');
    assert.throws(() => ownedDraft(body('customer-2'), 'customer-1'), AccessDeniedError);
  });

  it('is named by every other caller, or the body is invalid at that field', () => {
    assert.equal(ownedDraft(body('customer-2'), null).customerId, 'customer-2');
    assert.throws(
      () => ownedDraft(body(undefined), null, 'orders[3].customerId'),
      (error: RequestValidationError) =>
        error instanceof RequestValidationError &&
        error.errors[0].field === 'orders[3].customerId' &&
        error.errors[0].message === 'orders[3].customerId is required',
    );
  });
});
