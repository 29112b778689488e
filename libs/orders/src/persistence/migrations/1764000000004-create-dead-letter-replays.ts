import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeadLetterReplays1764000000004 implements MigrationInterface {
  name = 'CreateDeadLetterReplays1764000000004';

  async up(db: QueryRunner): Promise<void> {
    // One row per dead letter `npm run dlt:replay` re-published: a second run skips it.
    await db.query(`
      CREATE TABLE dead_letter_replays (
        dead_letter text PRIMARY KEY,
        event_id text,
        event_type text,
        replayed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE dead_letter_replays`);
  }
}
