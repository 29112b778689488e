import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrderTimeline1764000000001 implements MigrationInterface {
  name = 'CreateOrderTimeline1764000000001';

  async up(db: QueryRunner): Promise<void> {
    // Events a consumer group has applied: a redelivered event finds its id here and changes nothing.
    await db.query(`
      CREATE TABLE processed_events (
        consumer_group text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
    // The projection the worker builds from the topic: every event of an order, in order.
    await db.query(`
      CREATE TABLE order_timeline (
        event_id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        order_version integer NOT NULL,
        event_type text NOT NULL,
        status text NOT NULL,
        previous_status text,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        correlation_id text
      )`);
    await db.query(`CREATE INDEX order_timeline_order_idx ON order_timeline (order_id, order_version)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE order_timeline`);
    await db.query(`DROP TABLE processed_events`);
  }
}
