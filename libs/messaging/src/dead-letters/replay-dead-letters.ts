import { Kafka, Partitioners } from 'kafkajs';
import type { EventStream } from '../event-stream';
import { type DeadLetter, deadLetterId } from './dead-letter';
import { readDeadLetters } from './read-dead-letters';

/** Remembers which dead letters were replayed, so each one is replayed at most once. */
export interface ReplayLedger {
  /** When `letter` was replayed, if it was. */
  replayedAt(letter: DeadLetter): Promise<Date | null>;
  /** Runs `publish` and records the letter, both or neither; false if it was already recorded. */
  replayOnce(letter: DeadLetter, publish: () => Promise<void>): Promise<boolean>;
}

export interface ReplayRequest {
  since: Date;
  /** Only dead letters of this event type (ce_type). */
  type?: string;
  dryRun: boolean;
}

export interface ReplayReport {
  /** One line per matching dead letter, saying what was (or would be) done with it. */
  lines: string[];
  replayed: number;
  alreadyReplayed: number;
}

/**
 * Re-publishes dead letters to the topic they came from, unchanged but for the dlt_* headers, so
 * the consumer applies them as it would have (it de-duplicates by ce_id, as for any redelivery).
 */
export async function replayDeadLetters(
  kafka: Kafka,
  stream: Pick<EventStream, 'topic' | 'deadLetterTopic'>,
  groupId: string,
  ledger: ReplayLedger,
  request: ReplayRequest,
): Promise<ReplayReport> {
  const letters = (await readDeadLetters(kafka, stream.deadLetterTopic, groupId, request.since)).filter(
    (letter) => request.type === undefined || letter.headers.ce_type === request.type,
  );
  const report: ReplayReport = { lines: [], replayed: 0, alreadyReplayed: 0 };
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  if (!request.dryRun) await producer.connect();
  try {
    for (const letter of letters) {
      const what = describe(letter);
      const replayedAt = await ledger.replayedAt(letter);
      if (replayedAt) {
        report.alreadyReplayed++;
        report.lines.push(`skip    ${what} (replayed ${replayedAt.toISOString()})`);
      } else if (request.dryRun) {
        report.replayed++;
        report.lines.push(`would replay ${what} to ${stream.topic}`);
      } else if (await ledger.replayOnce(letter, () => publish(producer, stream.topic, letter))) {
        report.replayed++;
        report.lines.push(`replayed ${what} to ${stream.topic}`);
      } else {
        report.alreadyReplayed++;
        report.lines.push(`skip    ${what} (replayed meanwhile)`);
      }
    }
  } finally {
    if (!request.dryRun) await producer.disconnect();
  }
  return report;
}

async function publish(producer: ReturnType<Kafka['producer']>, topic: string, letter: DeadLetter): Promise<void> {
  const headers = Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !name.startsWith('dlt_')));
  await producer.send({ topic, acks: -1, messages: [{ key: letter.key, value: letter.value, headers }] });
}

function describe(letter: DeadLetter): string {
  const { ce_type = '?', ce_id = '?', dlt_reason = '?' } = letter.headers;
  return `${deadLetterId(letter)} ${ce_type} key=${letter.key?.toString() ?? 'null'} ce_id=${ce_id} reason=${dlt_reason} at ${letter.timestamp.toISOString()}`;
}
