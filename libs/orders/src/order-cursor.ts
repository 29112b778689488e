import type { Order } from './domain/order';
import { isSupportedInstant } from './supported-instants';

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not one this API returned');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Opaque keyset position: the created-at and id of the last order on the previous page. Clients can
 * forge one, so decoding checks everything the query will rely on: an id PostgreSQL reads as a uuid
 * and an instant its timestamptz can hold.
 */
export const OrderCursor = {
  encode(order: Pick<Order, 'createdAt' | 'id'>): string {
    return Buffer.from(JSON.stringify([order.createdAt.toISOString(), order.id])).toString('base64url');
  },

  decode(cursor: string): { createdAt: Date; id: string } {
    let position: unknown;
    try {
      position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursorError();
    }
    if (!Array.isArray(position) || position.length !== 2) throw new InvalidCursorError();
    const [createdAt, id]: unknown[] = position;
    if (typeof createdAt !== 'string' || typeof id !== 'string' || !UUID.test(id)) throw new InvalidCursorError();
    const date = new Date(createdAt);
    if (!isSupportedInstant(date)) throw new InvalidCursorError();
    return { createdAt: date, id };
  },
};
