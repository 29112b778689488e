import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { setTimeout as sleep } from 'node:timers/promises';
import { Metric } from '@app/observability';
import { type ConsumedRecord, type ConsumeOutcome, type ConsumeResult, RecordConsumer } from './consumed-record';
import { DeadLetterSink } from './dead-letter.sink';

/** Pauses between attempts at a record that failed for a reason not its own; the last one repeats. */
export const RETRY_DELAYS_MS = [100, 500, 2_000, 5_000];
/** Records being handled, all partitions together: beyond this, the consumer takes no more. */
const MAX_IN_FLIGHT = 1_000;

/**
 * Hands each record to the feature's consumer. A record the consumer cannot use goes to the dead
 * letters at once. A record that fails for a reason not its own (the database away, a deadlock) is
 * retried until it succeeds, without holding up the other keys of its partition: only later records
 * of the same key wait behind it, since per-key order is the contract.
 */
@Injectable()
export class RecordDispatcher implements OnModuleDestroy {
  private readonly logger = new Logger(RecordDispatcher.name);
  /** Partitions whose latest record could neither be handled nor dead-lettered, since when, and why. */
  private readonly blocked = new Map<string, { since: Date; error: string }>();
  /** Per key: its latest record in flight (settles when the next one of the key may start). */
  private readonly waiting = new Map<string, Promise<unknown>>();
  private inFlight = 0;
  private stopping = false;

  constructor(
    private readonly consumer: RecordConsumer,
    private readonly deadLetters: DeadLetterSink,
    @InjectMetric(Metric.eventsConsumed) private readonly consumed: Counter<'result'>,
  ) {
    // Every result series exists from the start, so the first dead letter shows in increase().
    for (const result of ['processed', 'duplicate', 'retried', 'dead_lettered']) this.consumed.inc({ result }, 0);
  }

  onModuleDestroy(): void {
    // Records still failing stay uncommitted: the partition's next owner gets them again.
    this.stopping = true;
  }

  /**
   * Handles the record once: its outcome, or a throw when it failed for a reason not its own (or its
   * dead letter could not be written), to be tried again.
   */
  async dispatch(record: ConsumedRecord): Promise<ConsumeOutcome> {
    const partition = `${record.topic}/${record.partition}`;
    try {
      return await this.settle(record, await this.consumer.consume(record));
    } catch (error) {
      if (!this.blocked.has(partition)) this.blocked.set(partition, { since: new Date(), error: String(error) });
      throw error;
    }
  }

  /**
   * Handles the record without holding up its partition: resolves at once (or once fewer records are in
   * flight than MAX_IN_FLIGHT), so the records of one fetch, all partitions together, reach the
   * consumer in the same tick and can share a statement. `done` settles when the record has been
   * handled (only then may its offset be committed). Records of one key are handled in order.
   */
  async submit(record: ConsumedRecord): Promise<{ done: Promise<ConsumeOutcome> }> {
    const key = `${record.topic}/${record.partition}/${record.key ?? ''}`;
    const ahead = this.waiting.get(key);
    let done: Promise<ConsumeOutcome>;
    if (ahead) {
      done = ahead.then(() => this.retried(record, false));
      this.hold(key, done);
    } else {
      const result = this.consumer.consume(record).catch((error: unknown) => {
        this.logger.warn({ ...where(record), err: error }, 'record failed; retrying it while other keys go on');
        return null;
      });
      // A dead letter is written in the background (the sink batches them) and no key waits for it:
      // poison does not touch the timeline. The record's offset waits for the write.
      done = result.then((handled) =>
        handled ? this.settle(record, handled).catch(() => this.retried(record, true)) : this.retried(record, true),
      );
      this.hold(
        key,
        result.then((handled) => (handled ? undefined : done)),
      );
    }
    while (this.inFlight > MAX_IN_FLIGHT && !this.stopping) await sleep(50);
    return { done };
  }

  /** The partitions this consumer cannot move on (for readiness). */
  stuckPartitions(): { partition: string; since: string; error: string }[] {
    return [...this.blocked].map(([partition, { since, error }]) => ({ partition, since: since.toISOString(), error }));
  }

  /** Later records of the key wait until `until` settles. */
  private hold(key: string, until: Promise<unknown>): void {
    this.inFlight++;
    const settled = until.then(
      () => undefined,
      () => undefined,
    );
    this.waiting.set(key, settled);
    void settled.then(() => {
      this.inFlight--;
      if (this.waiting.get(key) === settled) this.waiting.delete(key);
    });
  }

  /** Tries the record until it is handled; gives up only when the process stops. */
  private async retried(record: ConsumedRecord, failedOnce: boolean): Promise<ConsumeOutcome> {
    for (let attempt = failedOnce ? 0 : -1; ; attempt++) {
      if (attempt >= 0) {
        this.consumed.inc({ result: 'retried' });
        await sleep(RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]);
      }
      if (this.stopping) throw new Error('stopping; the record is left for the next consumer');
      try {
        return await this.dispatch(record);
      } catch (error) {
        if (attempt % 10 === 9)
          this.logger.warn({ ...where(record), attempts: attempt + 2, err: error }, 'still failing');
      }
    }
  }

  /** Counts a handled record, or writes its dead letter; either way its partition has moved on. */
  private async settle(record: ConsumedRecord, result: ConsumeResult): Promise<ConsumeOutcome> {
    let outcome: ConsumeOutcome = 'dead-lettered';
    if (result.outcome === 'dead-letter') {
      this.logger.warn({ ...where(record), reason: result.reason, error: result.error }, 'dead-lettering record');
      await this.deadLetters.send(record, result.reason, result.error);
      this.consumed.inc({ result: 'dead_lettered' });
    } else {
      this.consumed.inc({ result: result.outcome });
      outcome = result.outcome;
    }
    this.blocked.delete(`${record.topic}/${record.partition}`);
    return outcome;
  }
}

const where = (record: ConsumedRecord) => ({ partition: record.partition, offset: record.offset, key: record.key });
