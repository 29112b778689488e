import { lineTotal, sumMinorUnits } from './money';
import { OrderNotEditableError } from './order-errors';
import { OrderEventType, eventTypeForStatus } from './order-event-type';
import { assertTransition } from './order-state-machine';
import { OrderStatus } from './order-status';

export interface ShippingAddress {
  recipient: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

export interface OrderLineInput {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
}

export interface OrderLine extends OrderLineInput {
  lineTotal: number;
}

export interface OrderDraft {
  customerId: string;
  currency: string;
  lines: OrderLineInput[];
  shippingAddress: ShippingAddress;
  notes?: string;
}

export interface OrderRevision {
  lines: OrderLineInput[];
  shippingAddress: ShippingAddress;
  notes?: string;
}

export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  lines: OrderLine[];
  totalAmount: number;
  shippingAddress: ShippingAddress;
  notes: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  confirmedAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  cancelledAt: Date | null;
  cancellationReason: string | null;
}

/** A change to an order together with the event that announces it. */
export interface OrderChange {
  order: Order;
  eventType: OrderEventType;
  previousStatus: OrderStatus | null;
}

const stepTimestamp: Partial<Record<OrderStatus, keyof Order>> = {
  [OrderStatus.CONFIRMED]: 'confirmedAt',
  [OrderStatus.SHIPPED]: 'shippedAt',
  [OrderStatus.DELIVERED]: 'deliveredAt',
  [OrderStatus.CANCELLED]: 'cancelledAt',
};

function priceLines(lines: readonly OrderLineInput[]): { lines: OrderLine[]; totalAmount: number } {
  const priced = lines.map((line) => ({ ...line, lineTotal: lineTotal(line.quantity, line.unitPrice) }));
  return { lines: priced, totalAmount: sumMinorUnits(priced.map((line) => line.lineTotal)) };
}

export function placeOrder(id: string, draft: OrderDraft, now: Date): OrderChange {
  const order: Order = {
    id,
    customerId: draft.customerId,
    status: OrderStatus.PLACED,
    currency: draft.currency.toUpperCase(),
    ...priceLines(draft.lines),
    shippingAddress: draft.shippingAddress,
    notes: draft.notes ?? null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    confirmedAt: null,
    shippedAt: null,
    deliveredAt: null,
    cancelledAt: null,
    cancellationReason: null,
  };
  return { order, eventType: OrderEventType.ORDER_PLACED, previousStatus: null };
}

/** What a client may change, as it stands; only a PLACED order has any. */
export function editableContent(order: Order): OrderRevision {
  if (order.status !== OrderStatus.PLACED) throw new OrderNotEditableError(order.status);
  return {
    lines: order.lines.map(({ sku, name, quantity, unitPrice }) => ({ sku, name, quantity, unitPrice })),
    shippingAddress: { ...order.shippingAddress },
    ...(order.notes === null ? {} : { notes: order.notes }),
  };
}

/** Replaces the whole editable content: notes left out are cleared. */
export function reviseOrder(order: Order, revision: OrderRevision, now: Date): OrderChange {
  if (order.status !== OrderStatus.PLACED) throw new OrderNotEditableError(order.status);
  return {
    order: {
      ...order,
      ...priceLines(revision.lines),
      shippingAddress: revision.shippingAddress,
      notes: revision.notes ?? null,
      version: order.version + 1,
      updatedAt: now,
    },
    eventType: OrderEventType.ORDER_UPDATED,
    previousStatus: order.status,
  };
}

export function transitionOrder(order: Order, to: OrderStatus, now: Date, reason?: string): OrderChange {
  assertTransition(order.status, to);
  const timestampField = stepTimestamp[to];
  return {
    order: {
      ...order,
      status: to,
      ...(timestampField ? { [timestampField]: now } : {}),
      cancellationReason: to === OrderStatus.CANCELLED ? (reason ?? null) : order.cancellationReason,
      version: order.version + 1,
      updatedAt: now,
    },
    eventType: eventTypeForStatus[to],
    previousStatus: order.status,
  };
}
