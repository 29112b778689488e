import type { Order } from '../domain/order';

type Json<T> = T extends Date ? string : T extends Date | null ? string | null : T;

/** An order as events carry it: its JSON form, instants as ISO 8601 strings in UTC. */
export type OrderSnapshot = { [K in keyof Order]: Json<Order[K]> };

const iso = (instant: Date | null): string | null => instant?.toISOString() ?? null;

/**
 * The snapshot of an order, field by field as the orders tables store them (order-table.ts), so an
 * event carries what was written and nothing else a request happened to hold.
 */
export function orderSnapshot(order: Order): OrderSnapshot {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    currency: order.currency,
    lines: order.lines.map(({ sku, name, quantity, unitPrice, lineTotal }) => ({
      sku,
      name,
      quantity,
      unitPrice,
      lineTotal,
    })),
    totalAmount: order.totalAmount,
    shippingAddress: { ...order.shippingAddress },
    notes: order.notes,
    version: order.version,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    confirmedAt: iso(order.confirmedAt),
    shippedAt: iso(order.shippedAt),
    deliveredAt: iso(order.deliveredAt),
    cancelledAt: iso(order.cancelledAt),
    cancellationReason: order.cancellationReason,
  };
}
