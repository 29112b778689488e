import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCacheEpoch1764000000003 implements MigrationInterface {
  name = 'CreateCacheEpoch1764000000003';

  async up(db: QueryRunner): Promise<void> {
    // Part of every read-cache key; replaced (and announced) when an invalidation could not reach
    // the cache store, so no instance can serve what was cached before that write.
    await db.query(`
      CREATE TABLE cache_epoch (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        epoch uuid NOT NULL
      )`);
    await db.query(`INSERT INTO cache_epoch (epoch) VALUES (gen_random_uuid())`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE cache_epoch`);
  }
}
