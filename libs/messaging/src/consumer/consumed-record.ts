/** A record as the consumer receives it, whatever brought it (Kafka, or in-process delivery). */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, unknown>;
}

export type DeadLetterReason = 'invalid-json' | 'schema-violation' | 'unknown-type' | 'processing-failed';

/** What a consumer made of a record: applied, already applied, or never applicable (dead letter). */
export type ConsumeResult =
  { outcome: 'processed' | 'duplicate' } | { outcome: 'dead-letter'; reason: DeadLetterReason; error: string };

export type ConsumeOutcome = 'processed' | 'duplicate' | 'dead-lettered';

/**
 * A feature's handler of its own events. Throwing means "failed, try again"; a record that can never
 * be handled is answered with a dead-letter result instead.
 */
export abstract class RecordConsumer {
  abstract consume(record: ConsumedRecord): Promise<ConsumeResult>;
}
