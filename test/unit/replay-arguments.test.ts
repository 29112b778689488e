import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReplayArguments, UsageError } from '../../apps/orders/src/dlt-replay/replay-arguments';

describe('dlt:replay arguments', () => {
  const now = new Date('2026-11-27T12:00:00Z');

  it('takes --since as a time or as a time ago, an optional type and a dry run', () => {
    assert.deepEqual(parseReplayArguments(['--since', '2026-11-27T10:00:00Z'], now), {
      since: new Date('2026-11-27T10:00:00Z'),
      type: undefined,
      dryRun: false,
    });
    assert.deepEqual(parseReplayArguments(['--since', '6h', '--type', 'ORDER_PLACED', '--dry-run'], now), {
      since: new Date('2026-11-27T06:00:00Z'),
      type: 'ORDER_PLACED',
      dryRun: true,
    });
    assert.deepEqual(parseReplayArguments(['--since', '2d'], now).since, new Date('2026-11-25T12:00:00Z'));
  });

  it('refuses a missing or unreadable --since and unknown options, with the usage', () => {
    for (const argv of [[], ['--since', 'yesterday'], ['--since', '1h', '--force']])
      assert.throws(
        () => parseReplayArguments(argv, now),
        (error: unknown) => error instanceof UsageError && /usage: npm run dlt:replay/.test(error.message),
      );
  });
});
