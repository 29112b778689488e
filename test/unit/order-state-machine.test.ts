import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertTransition, canTransition, IllegalTransitionError, OrderStatus } from '@app/orders';

const { PLACED, CONFIRMED, SHIPPED, DELIVERED, CANCELLED } = OrderStatus;

describe('order state machine', () => {
  const allowed: [OrderStatus, OrderStatus][] = [
    [PLACED, CONFIRMED],
    [CONFIRMED, SHIPPED],
    [SHIPPED, DELIVERED],
    [PLACED, CANCELLED],
    [CONFIRMED, CANCELLED],
  ];

  it('allows exactly the lifecycle steps and cancellation before shipping', () => {
    for (const from of Object.values(OrderStatus)) {
      for (const to of Object.values(OrderStatus)) {
        const expected = allowed.some(([a, b]) => a === from && b === to);
        assert.equal(canTransition(from, to), expected, `${from} -> ${to}`);
      }
    }
  });

  it('names the current and the requested status when refusing', () => {
    assert.throws(
      () => assertTransition(SHIPPED, CANCELLED),
      (error: unknown) =>
        error instanceof IllegalTransitionError &&
        error.current === SHIPPED &&
        error.requested === CANCELLED &&
        error.message === 'Order is SHIPPED; it cannot become CANCELLED',
    );
  });

  it('treats DELIVERED and CANCELLED as final', () => {
    for (const to of Object.values(OrderStatus)) {
      assert.equal(canTransition(DELIVERED, to), false);
      assert.equal(canTransition(CANCELLED, to), false);
    }
  });
});
