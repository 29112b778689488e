import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { setTimeout as sleep } from 'node:timers/promises';
import { Metric } from '@app/observability';
import {
  type ConsumedRecord,
  type ConsumeOutcome,
  type ConsumeResult,
  type DeadLetterReason,
  RecordConsumer,
} from './consumed-record';
import { DeadLetterSink } from './dead-letter.sink';

/** Pauses between attempts at a failing record; after the last one it is dead-lettered. */
export const RETRY_DELAYS_MS = [100, 500, 2_000];

/**
 * Hands each record to the feature's consumer, retries failures, and dead-letters what cannot be
 * handled, so one record never blocks its partition.
 */
@Injectable()
export class RecordDispatcher {
  private readonly logger = new Logger(RecordDispatcher.name);
  /** Partitions whose current record could neither be handled nor dead-lettered, since when, and why. */
  private readonly blocked = new Map<string, { since: Date; error: string }>();

  constructor(
    private readonly consumer: RecordConsumer,
    private readonly deadLetters: DeadLetterSink,
    @InjectMetric(Metric.eventsConsumed) private readonly consumed: Counter<'result'>,
  ) {
    // Every result series exists from the start, so the first dead letter shows in increase().
    for (const result of ['processed', 'duplicate', 'retried', 'dead_lettered']) this.consumed.inc({ result }, 0);
  }

  /**
   * Handles the record, or dead-letters it. Throws only when even the dead letter could not be
   * written: the record is then not committed (it will come again) and its partition counts as stuck.
   */
  async dispatch(record: ConsumedRecord): Promise<ConsumeOutcome> {
    const partition = `${record.topic}/${record.partition}`;
    try {
      const outcome = await this.handle(record);
      this.blocked.delete(partition);
      return outcome;
    } catch (error) {
      if (!this.blocked.has(partition)) this.blocked.set(partition, { since: new Date(), error: String(error) });
      throw error;
    }
  }

  /** The partitions this consumer cannot move on (for readiness). */
  stuckPartitions(): { partition: string; since: string; error: string }[] {
    return [...this.blocked].map(([partition, { since, error }]) => ({ partition, since: since.toISOString(), error }));
  }

  private async handle(record: ConsumedRecord): Promise<ConsumeOutcome> {
    const where = { partition: record.partition, offset: record.offset, key: record.key };
    for (let attempt = 0; ; attempt++) {
      let result: ConsumeResult;
      try {
        result = await this.consumer.consume(record);
      } catch (error) {
        if (attempt >= RETRY_DELAYS_MS.length) {
          this.logger.error({ ...where, err: error }, 'record failed after retries; dead-lettering');
          return this.deadLetter(record, 'processing-failed', (error as Error).message);
        }
        this.logger.warn({ ...where, attempt: attempt + 1, err: error }, 'record failed; retrying');
        this.consumed.inc({ result: 'retried' });
        await sleep(RETRY_DELAYS_MS[attempt]);
        continue;
      }
      if (result.outcome !== 'dead-letter') {
        this.consumed.inc({ result: result.outcome });
        return result.outcome;
      }
      this.logger.warn({ ...where, reason: result.reason, error: result.error }, 'dead-lettering record');
      return this.deadLetter(record, result.reason, result.error);
    }
  }

  private async deadLetter(record: ConsumedRecord, reason: DeadLetterReason, error: string): Promise<ConsumeOutcome> {
    await this.deadLetters.send(record, reason, error);
    this.consumed.inc({ result: 'dead_lettered' });
    return 'dead-lettered';
  }
}
