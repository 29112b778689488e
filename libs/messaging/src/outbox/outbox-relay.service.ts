import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { Metric, scrapeGauge } from '@app/observability';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventPublisher } from '../event-publisher';
import { OutboxStore } from './outbox-store';
import { OutboxSignal } from './outbox-signal';
import { RelayLeadership } from './relay-leadership';

export const RELAY_BATCH_SIZE = 1_000;
/**
 * After a wake-up, events committing in the next few milliseconds join the same batch: one produce
 * request, one broker append and one consumer fetch for them all instead of one each (Kafka's own
 * producer lingers 5 ms by default for the same reason).
 */
const LINGER_MS = 5;
/** Fallback poll when no wake-up arrives (e.g. a NOTIFY lost while reconnecting). */
const IDLE_POLL_MS = 1_000;
const STANDBY_POLL_MS = 2_000;
const MAX_BACKOFF_MS = 5_000;
const PUBLISHED_RETENTION_MS = 24 * 60 * 60 * 1000;
const CLEANUP_EVERY_MS = 10 * 60 * 1000;

/**
 * Moves committed events from the outbox to the publisher, oldest first, and marks them published.
 * A crash between publishing and marking republishes the batch: duplicates, never losses.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private stopping = false;
  private loop: Promise<void> | null = null;
  private failures = 0;
  private lastCleanup = 0;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly publisher: EventPublisher,
    private readonly signal: OutboxSignal,
    private readonly leadership: RelayLeadership,
    @InjectMetric(Metric.outboxPublishDuration) private readonly publishDuration: Histogram,
    @InjectMetric(Metric.outboxPublished) private readonly published: Counter,
    @InjectMetric(Metric.outboxPublishErrors) private readonly publishErrors: Counter,
  ) {}

  onApplicationBootstrap(): void {
    // Both gauges are read in one scrape: one query serves them.
    let reading: { at: number; stats: ReturnType<OutboxStore['pendingStats']> } | null = null;
    const stats = () => {
      if (!reading || Date.now() - reading.at > 1_000) reading = { at: Date.now(), stats: this.outbox.pendingStats() };
      return reading.stats;
    };
    scrapeGauge(
      Metric.outboxPending,
      'Outbox events not yet published',
      [],
      async (gauge) => gauge.set((await stats()).pending),
      'shared',
    );
    scrapeGauge(
      Metric.outboxOldestAge,
      'Age of the oldest unpublished outbox event (0 when none)',
      [],
      async (gauge) => gauge.set((await stats()).oldestAgeSeconds),
      'shared',
    );
    this.loop = this.run();
  }

  /** Finishes the batch in flight, then stops. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.signal.notify();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (!(await this.leadership.acquire())) {
        await sleep(STANDBY_POLL_MS);
        continue;
      }
      const published = await this.publishBatch();
      if (published === RELAY_BATCH_SIZE) continue;
      if (published < 0) await sleep(this.backoffMs());
      else if (await this.signal.wait(IDLE_POLL_MS)) await sleep(LINGER_MS);
      if (published === 0) await this.cleanUp();
    }
  }

  /** Returns how many events went out, or -1 when publishing failed. */
  private async publishBatch(): Promise<number> {
    try {
      const records = await this.outbox.fetchPending(RELAY_BATCH_SIZE);
      if (records.length === 0) return 0;
      const end = this.publishDuration.startTimer();
      await this.publisher.publish(records);
      end();
      this.published.inc(records.length);
      await this.outbox.markPublished(records);
      if (this.failures > 0) this.logger.log(`Publishing again after ${this.failures} failed attempts`);
      this.failures = 0;
      return records.length;
    } catch (error) {
      this.failures++;
      this.publishErrors.inc();
      if (this.failures === 1 || this.failures % 20 === 0) {
        this.logger.error({ err: error, attempts: this.failures }, 'Publishing outbox events failed; will retry');
      }
      return -1;
    }
  }

  private backoffMs(): number {
    return Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(this.failures, 6));
  }

  private async cleanUp(): Promise<void> {
    if (Date.now() - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = Date.now();
    try {
      await this.outbox.deletePublishedBefore(new Date(Date.now() - PUBLISHED_RETENTION_MS));
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not delete old published outbox rows');
    }
  }
}
