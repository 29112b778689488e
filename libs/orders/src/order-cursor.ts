import type { Order } from './domain/order';

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not one this API returned');
  }
}

/** Opaque keyset position: the created-at and id of the last order on the previous page. */
export const OrderCursor = {
  encode(order: Pick<Order, 'createdAt' | 'id'>): string {
    return Buffer.from(JSON.stringify([order.createdAt.toISOString(), order.id])).toString('base64url');
  },

  decode(cursor: string): { createdAt: Date; id: string } {
    try {
      const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
      const date = new Date(createdAt);
      if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new InvalidCursorError();
      return { createdAt: date, id };
    } catch {
      throw new InvalidCursorError();
    }
  },
};
