import { OrderStatus } from './order-status';

/** The event types other teams consume (contract). */
export enum OrderEventType {
  ORDER_PLACED = 'ORDER_PLACED',
  ORDER_UPDATED = 'ORDER_UPDATED',
  ORDER_CONFIRMED = 'ORDER_CONFIRMED',
  ORDER_SHIPPED = 'ORDER_SHIPPED',
  ORDER_DELIVERED = 'ORDER_DELIVERED',
  ORDER_CANCELLED = 'ORDER_CANCELLED',
}

export const eventTypeForStatus: Record<OrderStatus, OrderEventType> = {
  [OrderStatus.PLACED]: OrderEventType.ORDER_PLACED,
  [OrderStatus.CONFIRMED]: OrderEventType.ORDER_CONFIRMED,
  [OrderStatus.SHIPPED]: OrderEventType.ORDER_SHIPPED,
  [OrderStatus.DELIVERED]: OrderEventType.ORDER_DELIVERED,
  [OrderStatus.CANCELLED]: OrderEventType.ORDER_CANCELLED,
};
