import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { setTimeout as sleep } from 'node:timers/promises';
import { Metric } from '@app/observability';
import { type ConsumedRecord, type ConsumeOutcome, type DeadLetterReason, RecordConsumer } from './consumed-record';
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

  constructor(
    private readonly consumer: RecordConsumer,
    private readonly deadLetters: DeadLetterSink,
    @InjectMetric(Metric.eventsConsumed) private readonly consumed: Counter<'result'>,
  ) {
    // Every result series exists from the start, so the first dead letter shows in increase().
    for (const result of ['processed', 'duplicate', 'retried', 'dead_lettered']) this.consumed.inc({ result }, 0);
  }

  async dispatch(record: ConsumedRecord): Promise<ConsumeOutcome> {
    const where = { partition: record.partition, offset: record.offset, key: record.key };
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.consumer.consume(record);
        if (result.outcome !== 'dead-letter') {
          this.consumed.inc({ result: result.outcome });
          return result.outcome;
        }
        this.logger.warn({ ...where, reason: result.reason, error: result.error }, 'dead-lettering record');
        return await this.deadLetter(record, result.reason, result.error);
      } catch (error) {
        if (attempt >= RETRY_DELAYS_MS.length) {
          this.logger.error({ ...where, err: error }, 'record failed after retries; dead-lettering');
          return await this.deadLetter(record, 'processing-failed', (error as Error).message);
        }
        this.logger.warn({ ...where, attempt: attempt + 1, err: error }, 'record failed; retrying');
        this.consumed.inc({ result: 'retried' });
        await sleep(RETRY_DELAYS_MS[attempt]);
      }
    }
  }

  private async deadLetter(record: ConsumedRecord, reason: DeadLetterReason, error: string): Promise<ConsumeOutcome> {
    await this.deadLetters.send(record, reason, error);
    this.consumed.inc({ result: 'dead_lettered' });
    return 'dead-lettered';
  }
}
