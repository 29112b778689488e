-- pgbench script: the service's placement statement (OrdersRepository.place, prepared as
-- "orders-place") for one order of two lines: the order, its lines and its ORDER_PLACED outbox row
-- in one statement, with the NOTIFY that wakes the relay. The service sends the rows as three jsonb
-- parameters; here they are built in SQL, so pgbench needs no client-side data. See docs/capacity.md.
WITH p AS (
  SELECT gen_random_uuid() AS id, gen_random_uuid() AS event_id, now() AS at
), params AS (
  SELECT
    jsonb_build_array(jsonb_build_object(
      'id', id, 'customer_id', 'pgbench', 'status', 'PLACED', 'currency', 'EUR', 'total_amount', 12498,
      'shipping_address', '{"recipient": "Ada Lovelace", "line1": "12 St James Square", "city": "London", "postalCode": "SW1Y 4JH", "country": "GB"}'::jsonb,
      'version', 1, 'created_at', at, 'updated_at', at)) AS orders,
    jsonb_build_array(
      jsonb_build_object('order_id', id, 'position', 0, 'sku', 'SKU-1', 'name', 'Keyboard', 'quantity', 2, 'unit_price', 4999, 'line_total', 9998),
      jsonb_build_object('order_id', id, 'position', 1, 'sku', 'SKU-2', 'name', 'Mouse', 'quantity', 1, 'unit_price', 2500, 'line_total', 2500)) AS lines,
    -- The event's value as the service writes it: the order snapshot (about 600 bytes).
    jsonb_build_array(jsonb_build_object(
      'event_id', event_id, 'order_id', id, 'event_type', 'ORDER_PLACED', 'correlation_id', null,
      'payload', jsonb_build_object('orderId', id, 'previousStatus', null, 'order', jsonb_build_object(
        'id', id, 'customerId', 'pgbench', 'status', 'PLACED', 'currency', 'EUR', 'totalAmount', 12498, 'version', 1,
        'lines', '[{"sku": "SKU-1", "name": "Keyboard", "quantity": 2, "unitPrice": 4999, "lineTotal": 9998}, {"sku": "SKU-2", "name": "Mouse", "quantity": 1, "unitPrice": 2500, "lineTotal": 2500}]'::jsonb,
        'shippingAddress', '{"recipient": "Ada Lovelace", "line1": "12 St James Square", "city": "London", "postalCode": "SW1Y 4JH", "country": "GB"}'::jsonb,
        'createdAt', at, 'updatedAt', at)))) AS events
  FROM p
), new_orders AS (
  INSERT INTO orders SELECT * FROM jsonb_populate_recordset(NULL::orders, (SELECT orders FROM params))
), new_lines AS (
  INSERT INTO order_lines SELECT * FROM jsonb_populate_recordset(NULL::order_lines, (SELECT lines FROM params))
), written AS (
  INSERT INTO outbox (event_id, order_id, event_type, payload, correlation_id)
  SELECT (e->>'event_id')::uuid, (e->>'order_id')::uuid, e->>'event_type', e->'payload', e->>'correlation_id'
  FROM jsonb_array_elements((SELECT events FROM params)) WITH ORDINALITY AS r(e, n)
  ORDER BY n
)
SELECT pg_notify('orders_outbox', '');
