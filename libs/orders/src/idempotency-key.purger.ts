import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IdempotencyRepository } from './persistence/idempotency.repository';

const PURGE_INTERVAL_MS = 10 * 60_000;

/** Expired keys are ignored on read; this only keeps the table from growing without bound. */
@Injectable()
export class IdempotencyKeyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeyPurger.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly keys: IdempotencyRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), PURGE_INTERVAL_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async purge(): Promise<void> {
    try {
      const removed = await this.keys.deleteExpired();
      if (removed > 0) this.logger.log(`Removed ${removed} expired idempotency keys`);
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not purge expired idempotency keys');
    }
  }
}
