import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TimelineRetentionPurger } from '@app/orders';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

describe('retention of the processed-event ledger and the timeline', () => {
  let db: TestDatabase;
  let worker: TestApp;

  before(async () => {
    db = await TestDatabase.create();
    // The worker role runs the purge; without KAFKA_BROKERS it needs nothing but PostgreSQL.
    worker = await startTestApp({
      DATABASE_URL: db.url,
      ROLES: 'worker',
      PROCESSED_EVENTS_RETENTION_DAYS: '30',
      TIMELINE_RETENTION_DAYS: '365',
    });
  });

  after(async () => {
    await worker?.close();
    await db?.drop();
  });

  const addLedgerRows = (count: number, ageDays: number) =>
    db.query<{ event_id: string }>(
      `INSERT INTO processed_events (consumer_group, event_id, processed_at)
       SELECT 'orders-worker', gen_random_uuid(), now() - make_interval(days => $2)
       FROM generate_series(1, $1) RETURNING event_id`,
      [count, ageDays],
    );
  const addTimelineEntry = async (ageDays: number) => {
    const eventId = randomUUID();
    await db.query(
      `INSERT INTO order_timeline (event_id, order_id, order_version, event_type, status, occurred_at, recorded_at)
       VALUES ($1, $2, 1, 'ORDER_PLACED', 'PLACED', now() - make_interval(days => $3), now() - make_interval(days => $3))`,
      [eventId, randomUUID(), ageDays],
    );
    return eventId;
  };

  it('deletes ledger rows and timeline entries older than their retention, batch after batch, and keeps the rest', async () => {
    await addLedgerRows(12_000, 31); // more than one batch
    const [kept] = await addLedgerRows(1, 29);
    await addTimelineEntry(366);
    const keptEntry = await addTimelineEntry(364);

    const purged = await worker.app.get(TimelineRetentionPurger).purge();

    assert.deepEqual(purged, { processedEvents: 12_000, timeline: 1 });
    const ledger = await db.query<{ event_id: string }>('SELECT event_id FROM processed_events');
    assert.deepEqual(
      ledger.map((row) => row.event_id),
      [kept.event_id],
    );
    const timeline = await db.query<{ event_id: string }>('SELECT event_id FROM order_timeline');
    assert.deepEqual(
      timeline.map((row) => row.event_id),
      [keptEntry],
    );
    assert.deepEqual(await worker.app.get(TimelineRetentionPurger).purge(), { processedEvents: 0, timeline: 0 });
  });

  it('has valid indexes on the ages the purge selects rows by', async () => {
    const indexes = await db.query<{ name: string; valid: boolean }>(
      `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE c.relname IN ('processed_events_processed_at_idx', 'order_timeline_recorded_at_idx') ORDER BY 1`,
    );
    assert.deepEqual(indexes, [
      { name: 'order_timeline_recorded_at_idx', valid: true },
      { name: 'processed_events_processed_at_idx', valid: true },
    ]);
  });
});
