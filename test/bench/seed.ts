import type { OrderEventData } from '@app/orders';
import type { TestDatabase } from '../support/test-database';

const address = JSON.stringify({
  recipient: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
});

/** Inserts `count` PLACED orders with two lines each, created one second apart (newest now). */
export async function seedOrders(db: TestDatabase, count: number): Promise<void> {
  await db.query(
    `INSERT INTO orders (id, customer_id, status, currency, total_amount, shipping_address, version, created_at, updated_at)
     SELECT gen_random_uuid(), 'customer-' || (i % 5000), 'PLACED', 'EUR', 12497, $2::jsonb, 1, t, t
     FROM generate_series(1, $1::int) AS i, LATERAL (SELECT date_trunc('milliseconds', now() - i * interval '1 second') AS t) ts`,
    [count, address],
  );
  await db.query(
    `INSERT INTO order_lines (order_id, position, sku, name, quantity, unit_price, line_total)
     SELECT id, 0, 'SKU-1', 'Keyboard', 2, 4999, 9998 FROM orders
     UNION ALL
     SELECT id, 1, 'SKU-2', 'Mouse', 1, 2499, 2499 FROM orders`,
  );
  await db.query('ANALYZE orders; ANALYZE order_lines');
}

/** Queues `count` ORDER_PLACED events in the outbox, one per seeded order, their payload modelled on `template`. */
export async function seedOutboxBacklog(db: TestDatabase, count: number, template: OrderEventData): Promise<void> {
  await db.query(
    `INSERT INTO outbox (event_id, order_id, event_type, payload, created_at)
     SELECT gen_random_uuid(), o.id, 'ORDER_PLACED',
            jsonb_set(jsonb_set($2::jsonb, '{orderId}', to_jsonb(o.id::text)), '{order,id}', to_jsonb(o.id::text)),
            clock_timestamp()
     FROM (SELECT id FROM orders LIMIT $1) o`,
    [count, JSON.stringify(template)],
  );
}
