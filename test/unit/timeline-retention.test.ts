import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '@app/config';
import { TimelineRetentionPurger } from '@app/orders';

/** A timeline repository whose tables hold `backlog` old rows each and hand them out batch by batch. */
function fakeTimeline(backlog: number) {
  const calls: { table: string; days: number; limit: number }[] = [];
  const left = { processed: backlog, timeline: backlog };
  const take = (table: 'processed' | 'timeline', days: number, limit: number) => {
    calls.push({ table, days, limit });
    const deleted = Math.min(limit, left[table]);
    left[table] -= deleted;
    return Promise.resolve(deleted);
  };
  return {
    calls,
    left,
    repository: {
      deleteProcessedOlderThan: (days: number, limit: number) => take('processed', days, limit),
      deleteTimelineOlderThan: (days: number, limit: number) => take('timeline', days, limit),
    },
  };
}

const purgerWith = (repository: object, env: Record<string, string> = {}) =>
  new TimelineRetentionPurger(repository as never, loadConfig(env));

describe('timeline retention purge', () => {
  it('deletes in batches with the retention of each table until a batch comes back short', async () => {
    const fake = fakeTimeline(12_000);
    const purged = await purgerWith(fake.repository).purge();
    assert.deepEqual(purged, { processedEvents: 12_000, timeline: 12_000 });
    const { limit } = fake.calls[0];
    const perTable = Math.floor(12_000 / limit) + 1;
    assert.deepEqual(
      fake.calls.map((call) => [call.table, call.days]),
      [...Array(perTable).fill(['processed', 30]), ...Array(perTable).fill(['timeline', 365])],
    );
  });

  it('ends a run after a bounded number of batches, leaving the rest to the next run', async () => {
    const fake = fakeTimeline(Number.MAX_SAFE_INTEGER);
    const purger = purgerWith(fake.repository);
    const first = await purger.purge();
    assert.ok(first.processedEvents > 0 && first.processedEvents < Number.MAX_SAFE_INTEGER);
    assert.deepEqual(await purger.purge(), first);
  });

  it('keeps rows forever when a retention is 0', async () => {
    const fake = fakeTimeline(10);
    const purged = await purgerWith(fake.repository, { TIMELINE_RETENTION_DAYS: '0' }).purge();
    assert.deepEqual(purged, { processedEvents: 10, timeline: 0 });
    assert.deepEqual(
      fake.calls.map((call) => call.table),
      ['processed'],
    );
  });
});
