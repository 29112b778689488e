import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../actor';
import type { OrderChange } from '../domain/order';
import type { OrderEventData } from '../events/order-event';
import type { OrderEventContract } from '../events/order-event-contract';
import { orderSnapshot } from '../events/order-snapshot';

/**
 * The one way order events enter the outbox: a CTE that every order write carries, inserting the
 * rows of one jsonb array parameter (of outboxRow values) in order, so a change and its events commit in
 * one statement (a data-modifying CTE always runs).
 */
export const insertOutboxRows = (param: string) =>
  `INSERT INTO outbox (event_id, order_id, event_type, payload, correlation_id)
   SELECT (e->>'event_id')::uuid, (e->>'order_id')::uuid, e->>'event_type', e->'payload', e->>'correlation_id'
   FROM jsonb_array_elements(${param}::jsonb) WITH ORDINALITY AS r(e, n)
   ORDER BY n`;

/** Where a change came from: the request (correlation id) and who made it. Events carry both. */
export interface ChangeOrigin {
  correlationId: string | null;
  actor: Actor;
}

/** The outbox row announcing a change, its event checked against its schema (see insertOutboxRows). */
export function outboxRow(
  { order, eventType, previousStatus }: OrderChange,
  { correlationId, actor }: ChangeOrigin,
  contract: OrderEventContract,
) {
  const data: OrderEventData = {
    orderId: order.id,
    previousStatus,
    order: orderSnapshot(order),
    actor: { subject: actor.subject, role: actor.role },
  };
  contract.check(eventType, data);
  return {
    event_id: uuidv7(),
    order_id: order.id,
    event_type: eventType,
    payload: data,
    correlation_id: correlationId,
  };
}
