import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1764000000000 implements MigrationInterface {
  name = 'CreateOrders1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        customer_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('PLACED', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
        currency char(3) NOT NULL,
        total_amount bigint NOT NULL CHECK (total_amount >= 0),
        shipping_address jsonb NOT NULL,
        notes text,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        confirmed_at timestamptz,
        shipped_at timestamptz,
        delivered_at timestamptz,
        cancelled_at timestamptz,
        cancellation_reason text
      )`);
    // Keyset pagination walks (created_at, id) newest first, optionally within one status or customer.
    await db.query(`CREATE INDEX orders_created_idx ON orders (created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX orders_status_created_idx ON orders (status, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at DESC, id DESC)`);
    await db.query(`
      CREATE TABLE order_lines (
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        position smallint NOT NULL,
        sku text NOT NULL,
        name text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price bigint NOT NULL CHECK (unit_price >= 0),
        line_total bigint NOT NULL CHECK (line_total >= 0),
        PRIMARY KEY (order_id, position)
      )`);
    await db.query(`
      CREATE TABLE idempotency_keys (
        key text PRIMARY KEY,
        request_hash text NOT NULL,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`);
    // Transactional outbox: written in the same transaction as the order change it announces.
    await db.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        order_id uuid NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz
      )`);
    await db.query(`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox`);
    await db.query(`DROP TABLE idempotency_keys`);
    await db.query(`DROP TABLE order_lines`);
    await db.query(`DROP TABLE orders`);
  }
}
