import { MigrationInterface, QueryRunner } from 'typeorm';

export class RecordTimelineActors1764000000006 implements MigrationInterface {
  name = 'RecordTimelineActors1764000000006';

  async up(db: QueryRunner): Promise<void> {
    // Null for entries of events written before events named their actor.
    await db.query(`ALTER TABLE order_timeline ADD COLUMN actor_subject text, ADD COLUMN actor_role text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE order_timeline DROP COLUMN actor_subject, DROP COLUMN actor_role`);
  }
}
