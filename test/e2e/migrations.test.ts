import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { orderMigrations } from '@app/orders';
import { orderDraft, request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

describe('migrations', () => {
  const apps: TestApp[] = [];
  let db: TestDatabase;
  after(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await db?.drop();
  });

  it('lets processes that start together against an empty database take turns migrating', async () => {
    db = await TestDatabase.create();
    apps.push(...(await Promise.all([1, 2, 3].map(() => startTestApp({ DATABASE_URL: db.url })))));
    const applied = await db.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
    // Each migration once, in order.
    assert.deepEqual(
      applied.map((m) => m.name),
      orderMigrations.map((migration) => migration.name),
    );
    for (const app of apps)
      assert.equal((await request(app.baseUrl, 'POST', '/api/orders', { body: orderDraft() })).status, 201);
  });
});
