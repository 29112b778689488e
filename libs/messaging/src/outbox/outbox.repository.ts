import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { OrderChange } from '@app/orders/domain/order';
import type { OrderEventData } from '../order-event';

/** The NOTIFY channel that wakes the relay as soon as an outbox write commits. */
export const OUTBOX_CHANNEL = 'orders_outbox';

/** Writes order events into the outbox inside the caller's transaction. */
@Injectable()
export class OutboxRepository {
  async append(manager: EntityManager, changes: readonly OrderChange[], correlationId: string | null): Promise<void> {
    if (changes.length === 0) return;
    const rows = changes.map(({ order, eventType, previousStatus }) => {
      const data: OrderEventData = { orderId: order.id, previousStatus, order };
      return {
        event_id: uuidv7(),
        order_id: order.id,
        event_type: eventType,
        payload: data,
        correlation_id: correlationId,
      };
    });
    // One statement for any number of events: rows travel as a single jsonb parameter, in order.
    await manager.query(
      `INSERT INTO outbox (event_id, order_id, event_type, payload, correlation_id)
       SELECT (e->>'event_id')::uuid, (e->>'order_id')::uuid, e->>'event_type', e->'payload', e->>'correlation_id'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS r(e, n)
       ORDER BY n`,
      [JSON.stringify(rows)],
    );
    // Delivered only if the transaction commits.
    await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  }
}
