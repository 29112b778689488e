import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention purge finds old ledger and timeline rows by age; without these it scans both tables.
 * Built in the migration's transaction, not CONCURRENTLY: a concurrent build waits for every older
 * snapshot, including those of processes waiting for the migration lock, which wait for it in turn.
 * The consumer's inserts wait while the indexes build; reads of the timeline do not.
 */
export class IndexEventRetention1764000000002 implements MigrationInterface {
  name = 'IndexEventRetention1764000000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at)`);
    await db.query(`CREATE INDEX order_timeline_recorded_at_idx ON order_timeline (recorded_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX order_timeline_recorded_at_idx`);
    await db.query(`DROP INDEX processed_events_processed_at_idx`);
  }
}
