import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { OrderTimelineRepository } from './order-timeline.repository';

const PURGE_INTERVAL_MS = 10 * 60_000;
/** Rows per DELETE: each batch is a short transaction holding few locks. */
const BATCH_SIZE = 5_000;
/** Batches per table and run, so a run behind a large backlog still ends; the next run goes on. */
const MAX_BATCHES_PER_RUN = 100;

export interface PurgedRows {
  processedEvents: number;
  timeline: number;
}

/**
 * Keeps the processed-event ledger and the timeline from growing without bound: rows older than
 * PROCESSED_EVENTS_RETENTION_DAYS / TIMELINE_RETENTION_DAYS (0: kept forever) are deleted.
 */
@Injectable()
export class TimelineRetentionPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TimelineRetentionPurger.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly timeline: OrderTimelineRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purgeAndLog(), PURGE_INTERVAL_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One run over both tables; what is left over after MAX_BATCHES_PER_RUN waits for the next. */
  async purge(): Promise<PurgedRows> {
    const { processedEventsDays, timelineDays } = this.config.retention;
    return {
      processedEvents: await drain(processedEventsDays, (days, limit) =>
        this.timeline.deleteProcessedOlderThan(days, limit),
      ),
      timeline: await drain(timelineDays, (days, limit) => this.timeline.deleteTimelineOlderThan(days, limit)),
    };
  }

  private async purgeAndLog(): Promise<void> {
    try {
      const purged = await this.purge();
      if (purged.processedEvents > 0 || purged.timeline > 0) this.logger.log(purged, 'Purged old event rows');
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not purge old processed events and timeline entries');
    }
  }
}

async function drain(days: number, deleteBatch: (days: number, limit: number) => Promise<number>): Promise<number> {
  if (days === 0) return 0;
  let removed = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
    const deleted = await deleteBatch(days, BATCH_SIZE);
    removed += deleted;
    if (deleted < BATCH_SIZE) break;
  }
  return removed;
}
