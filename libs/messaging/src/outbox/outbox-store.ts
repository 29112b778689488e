import type { OutboxRecord } from '../event-stream';

/**
 * A feature's transactional outbox as the relay sees it. The feature writes it in its own
 * transactions (and owns the table); the relay reads, marks and trims it through this.
 */
export abstract class OutboxStore {
  /** The oldest unpublished events, in commit order. */
  abstract fetchPending(limit: number): Promise<OutboxRecord[]>;
  abstract markPublished(records: readonly OutboxRecord[]): Promise<void>;
  /** How many events wait, and for how long the oldest has waited. */
  abstract pendingStats(): Promise<{ pending: number; oldestAgeSeconds: number }>;
  /** Published rows are kept for a while for inspection, then dropped. */
  abstract deletePublishedBefore(cutoff: Date): Promise<number>;
}
