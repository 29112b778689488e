import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  IllegalTransitionError,
  InvalidOrderError,
  lineTotal,
  OrderEventType,
  OrderNotEditableError,
  OrderStatus,
  placeOrder,
  reviseOrder,
  sumMinorUnits,
  transitionOrder,
} from '@app/orders';

const draft = {
  customerId: 'c-1',
  currency: 'eur',
  lines: [
    { sku: 'A', name: 'A', quantity: 3, unitPrice: 1999 },
    { sku: 'B', name: 'B', quantity: 1, unitPrice: 1 },
  ],
  shippingAddress: { recipient: 'R', line1: 'L', city: 'C', postalCode: 'P', country: 'GB' },
};
const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-02T00:00:00Z');

describe('money in minor units', () => {
  it('multiplies and adds integers exactly', () => {
    assert.equal(lineTotal(3, 1999), 5997);
    assert.equal(sumMinorUnits([5997, 1]), 5998);
    // 0.1 + 0.2 style drift cannot happen with integers
    assert.equal(sumMinorUnits(Array(10).fill(10)), 100);
  });

  it('refuses amounts beyond exact integer range', () => {
    assert.throws(() => lineTotal(10_000, Number.MAX_SAFE_INTEGER), InvalidOrderError);
    assert.throws(() => sumMinorUnits([Number.MAX_SAFE_INTEGER, 1]), InvalidOrderError);
    assert.throws(() => lineTotal(1, 1.5), InvalidOrderError);
  });
});

describe('order aggregate', () => {
  it('places an order with server-computed totals, version 1 and an ORDER_PLACED event', () => {
    const { order, eventType, previousStatus } = placeOrder('id-1', draft, t0);
    assert.equal(order.status, OrderStatus.PLACED);
    assert.equal(order.currency, 'EUR');
    assert.deepEqual(
      order.lines.map((l) => l.lineTotal),
      [5997, 1],
    );
    assert.equal(order.totalAmount, 5998);
    assert.equal(order.version, 1);
    assert.equal(eventType, OrderEventType.ORDER_PLACED);
    assert.equal(previousStatus, null);
  });

  it('revises a PLACED order and bumps its version', () => {
    const placed = placeOrder('id-1', draft, t0).order;
    const { order, eventType } = reviseOrder(
      placed,
      { ...draft, lines: [{ sku: 'C', name: 'C', quantity: 2, unitPrice: 50 }] },
      t1,
    );
    assert.equal(order.totalAmount, 100);
    assert.equal(order.version, 2);
    assert.deepEqual(order.updatedAt, t1);
    assert.equal(eventType, OrderEventType.ORDER_UPDATED);
  });

  it('refuses to revise an order once confirmed', () => {
    const confirmed = transitionOrder(placeOrder('id-1', draft, t0).order, OrderStatus.CONFIRMED, t1).order;
    assert.throws(() => reviseOrder(confirmed, draft, t1), OrderNotEditableError);
  });

  it('stamps each lifecycle step and records the cancellation reason', () => {
    const placed = placeOrder('id-1', draft, t0).order;
    const confirmed = transitionOrder(placed, OrderStatus.CONFIRMED, t1);
    assert.deepEqual(confirmed.order.confirmedAt, t1);
    assert.equal(confirmed.previousStatus, OrderStatus.PLACED);
    assert.equal(confirmed.eventType, OrderEventType.ORDER_CONFIRMED);
    const cancelled = transitionOrder(confirmed.order, OrderStatus.CANCELLED, t1, 'out of stock');
    assert.equal(cancelled.order.cancellationReason, 'out of stock');
    assert.deepEqual(cancelled.order.cancelledAt, t1);
    assert.equal(cancelled.order.version, 3);
    assert.throws(() => transitionOrder(cancelled.order, OrderStatus.SHIPPED, t1), IllegalTransitionError);
  });
});
