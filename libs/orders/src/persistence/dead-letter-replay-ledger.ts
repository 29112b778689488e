import type { DataSource } from 'typeorm';
import { type DeadLetter, deadLetterId, type ReplayLedger } from '@app/messaging';

/** The dead_letter_replays table: a dead letter is re-published in the transaction that records it. */
export class DeadLetterReplayLedger implements ReplayLedger {
  constructor(private readonly db: DataSource) {}

  async replayedAt(letter: DeadLetter): Promise<Date | null> {
    const rows = await this.db.query<{ replayed_at: Date }[]>(
      'SELECT replayed_at FROM dead_letter_replays WHERE dead_letter = $1',
      [deadLetterId(letter)],
    );
    return rows[0]?.replayed_at ?? null;
  }

  replayOnce(letter: DeadLetter, publish: () => Promise<void>): Promise<boolean> {
    // The row lock makes a concurrent run wait, then find the row; a failed publish records nothing.
    return this.db.transaction(async (tx) => {
      const recorded = await tx.query<unknown[]>(
        `INSERT INTO dead_letter_replays (dead_letter, event_id, event_type) VALUES ($1, $2, $3)
         ON CONFLICT (dead_letter) DO NOTHING RETURNING 1`,
        [deadLetterId(letter), letter.headers.ce_id ?? null, letter.headers.ce_type ?? null],
      );
      if (recorded.length === 0) return false;
      await publish();
      return true;
    });
  }
}
