import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { loadConfig } from '@app/config';
import { Metric } from '@app/observability';
import {
  editableContent,
  EventContractViolation,
  OrderEventContract,
  OrderEventType,
  orderSnapshot,
  placeOrder,
  reviseOrder,
  type OrderEventData,
} from '@app/orders';

const draft = {
  customerId: 'c-1',
  currency: 'EUR',
  lines: [{ sku: 'A', name: 'A', quantity: 2, unitPrice: 2_500_000_000 }],
  shippingAddress: { recipient: 'R', line1: 'L', city: 'C', postalCode: 'P', country: 'GB' },
};
const { order } = placeOrder('019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80', draft, new Date('2026-01-01T00:00:00Z'));

function contract(env: Record<string, string>) {
  const registry = new Registry();
  const violations = new Counter({
    name: Metric.eventContractViolations,
    help: 'test',
    labelNames: ['type'],
    registers: [registry],
  });
  const count = async () =>
    (await violations.get()).values.find((v) => v.labels.type === OrderEventType.ORDER_UPDATED)?.value ?? 0;
  return { check: new OrderEventContract(loadConfig(env), violations), count };
}

/** What a PUT without its shipping address once produced: an event its consumers must dead-letter. */
const brokenUpdate = (): OrderEventData => {
  const { shippingAddress: _dropped, ...withoutAddress } = orderSnapshot(order);
  return { orderId: order.id, previousStatus: order.status, order: withoutAddress as never };
};

describe('events are checked against their schema before they enter the outbox', () => {
  it('lets a valid event through, with amounts beyond 32 bits', async () => {
    const { check, count } = contract({});
    const revised = reviseOrder(order, editableContent(order), new Date('2026-01-02T00:00:00Z'));
    check.check(revised.eventType, {
      orderId: order.id,
      previousStatus: revised.previousStatus,
      order: orderSnapshot(revised.order),
    });
    assert.equal(revised.order.totalAmount, 5_000_000_000);
    assert.equal(await count(), 0);
  });

  it('fails the write outside production, naming what is wrong', async () => {
    const { check, count } = contract({ NODE_ENV: 'test' });
    assert.throws(
      () => check.check(OrderEventType.ORDER_UPDATED, brokenUpdate()),
      (error: unknown) => error instanceof EventContractViolation && /shippingAddress/.test(error.message),
    );
    assert.equal(await count(), 1);
  });

  it('in production lets the change commit, and counts the violation', async () => {
    const { check, count } = contract({ NODE_ENV: 'production', LOG_LEVEL: 'silent' });
    check.check(OrderEventType.ORDER_UPDATED, brokenUpdate());
    assert.equal(await count(), 1);
  });
});

describe('editable content', () => {
  it('is what a PUT would send back: lines without totals, the address, notes only when set', () => {
    assert.deepEqual(editableContent(order), {
      lines: draft.lines,
      shippingAddress: draft.shippingAddress,
    });
  });
});
