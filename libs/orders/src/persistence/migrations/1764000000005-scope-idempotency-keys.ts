import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScopeIdempotencyKeys1764000000005 implements MigrationInterface {
  name = 'ScopeIdempotencyKeys1764000000005';

  async up(db: QueryRunner): Promise<void> {
    // Keys belong to the principal that sent them: the same key from two callers names two requests.
    // Keys stored before had no principal; '' keeps them valid until they expire, for nobody's reuse.
    await db.query(`ALTER TABLE idempotency_keys ADD COLUMN principal text NOT NULL DEFAULT ''`);
    await db.query(`ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey`);
    await db.query(`ALTER TABLE idempotency_keys ADD PRIMARY KEY (principal, key)`);
    await db.query(`ALTER TABLE idempotency_keys ALTER COLUMN principal DROP DEFAULT`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM idempotency_keys WHERE principal <> ''`);
    await db.query(`ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey`);
    await db.query(`ALTER TABLE idempotency_keys DROP COLUMN principal`);
    await db.query(`ALTER TABLE idempotency_keys ADD PRIMARY KEY (key)`);
  }
}
