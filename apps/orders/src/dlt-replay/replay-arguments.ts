import { parseArgs } from 'node:util';
import type { ReplayRequest } from '@app/messaging';
import { parseDuration } from '../duration-argument';

export class UsageError extends Error {}

export const REPLAY_USAGE =
  'usage: npm run dlt:replay -- --since <ISO time | 30m | 6h | 2d> [--type ORDER_PLACED] [--dry-run]';

/** `--since 2026-11-27T10:00:00Z` or a time ago, `--since 6h`. */
export function parseReplayArguments(argv: string[], now = new Date()): ReplayRequest {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { since: { type: 'string' }, type: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${REPLAY_USAGE}`);
  }
  if (!values.since) throw new UsageError(`--since is required\n${REPLAY_USAGE}`);
  const ago = parseDuration(values.since);
  const since = ago === null ? new Date(values.since) : new Date(now.getTime() - ago);
  if (Number.isNaN(since.getTime())) throw new UsageError(`--since ${values.since} is not a time\n${REPLAY_USAGE}`);
  return { since, type: values.type, dryRun: values['dry-run'] ?? false };
}
