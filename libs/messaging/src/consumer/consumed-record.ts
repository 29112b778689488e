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

export type ConsumeOutcome = 'processed' | 'duplicate' | 'dead-lettered';
