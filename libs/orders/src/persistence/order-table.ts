import type { Order, OrderLine, ShippingAddress } from '../domain/order';
import type { OrderStatus } from '../domain/order-status';

/**
 * The `orders` and `order_lines` tables: the one place that maps their columns to the domain.
 * Statements move whole rows as JSON (jsonb_populate_record[set] / jsonb_agg), so none of them
 * lists the columns again.
 */
export interface OrderRow {
  id: string;
  customer_id: string;
  status: OrderStatus;
  currency: string;
  total_amount: number | string;
  shipping_address: ShippingAddress;
  notes: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  confirmed_at: Date | null;
  shipped_at: Date | null;
  delivered_at: Date | null;
  cancelled_at: Date | null;
  cancellation_reason: string | null;
}

export interface OrderLineRow {
  order_id: string;
  position: number;
  sku: string;
  name: string;
  quantity: number;
  unit_price: number | string;
  line_total: number | string;
}

/** Columns a change may rewrite (all but the key and the creation time). */
export const MUTABLE_ORDER_COLUMNS = [
  'customer_id',
  'status',
  'currency',
  'total_amount',
  'shipping_address',
  'notes',
  'version',
  'updated_at',
  'confirmed_at',
  'shipped_at',
  'delivered_at',
  'cancelled_at',
  'cancellation_reason',
] as const satisfies readonly (keyof OrderRow)[];

/** A row with its lines as one JSON array (`jsonb_agg` of order_lines rows), as the reads select it. */
export const ORDER_WITH_LINES = `o.*, (SELECT jsonb_agg(l ORDER BY l.position) FROM order_lines l WHERE l.order_id = o.id) AS lines`;

export function toOrderRow(order: Order): OrderRow {
  return {
    id: order.id,
    customer_id: order.customerId,
    status: order.status,
    currency: order.currency,
    total_amount: order.totalAmount,
    shipping_address: order.shippingAddress,
    notes: order.notes,
    version: order.version,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    confirmed_at: order.confirmedAt,
    shipped_at: order.shippedAt,
    delivered_at: order.deliveredAt,
    cancelled_at: order.cancelledAt,
    cancellation_reason: order.cancellationReason,
  };
}

export function toLineRows(order: Order): OrderLineRow[] {
  return order.lines.map((line, position) => ({
    order_id: order.id,
    position,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity,
    unit_price: line.unitPrice,
    line_total: line.lineTotal,
  }));
}

// pg returns bigint as text; minor-unit amounts stay within Number.MAX_SAFE_INTEGER (checked in the domain).
export function toOrder(row: OrderRow & { lines: OrderLineRow[] | null }): Order {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    currency: row.currency,
    lines: (row.lines ?? []).map(toLine),
    totalAmount: Number(row.total_amount),
    shippingAddress: row.shipping_address,
    notes: row.notes,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    confirmedAt: row.confirmed_at,
    shippedAt: row.shipped_at,
    deliveredAt: row.delivered_at,
    cancelledAt: row.cancelled_at,
    cancellationReason: row.cancellation_reason,
  };
}

function toLine(row: OrderLineRow): OrderLine {
  return {
    sku: row.sku,
    name: row.name,
    quantity: row.quantity,
    unitPrice: Number(row.unit_price),
    lineTotal: Number(row.line_total),
  };
}
