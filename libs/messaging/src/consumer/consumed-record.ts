/** A record as the consumer receives it, whatever brought it (Kafka, or in-process delivery). */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, unknown>;
}

export type DeadLetterReason =
  'invalid-json' | 'schema-violation' | 'unknown-type' | 'unknown-subject' | 'processing-failed';

/** What a consumer made of a record: applied, already applied, or never applicable (dead letter). */
export type ConsumeResult =
  { outcome: 'processed' | 'duplicate' } | { outcome: 'dead-letter'; reason: DeadLetterReason; error: string };

export type ConsumeOutcome = 'processed' | 'duplicate' | 'dead-lettered';

/**
 * A feature's handler of its own events. A record that can never be handled (its own fault) is
 * answered with a dead-letter result; throwing means "failed for a reason not the record's own"
 * (the database away, a deadlock), and the record is tried again until it succeeds.
 */
export abstract class RecordConsumer {
  abstract consume(record: ConsumedRecord): Promise<ConsumeResult>;
}
