import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';

/**
 * The read cache's epoch, part of every cache key, kept in PostgreSQL: the one thing every instance
 * and every writer always share, even when Redis is down or cut off from some of them.
 *
 * A write that cannot invalidate in Redis replaces the epoch, which makes everything cached before
 * unreachable. Each instance re-reads the epoch four times per lease (CACHE_EPOCH_LEASE_MS, 1 s)
 * and trusts what it read for one lease from the moment it asked; the write waits one lease before
 * it is acknowledged. So a read that starts
 * after the acknowledgement can only use an epoch read after the replacement: never a stale entry.
 * (Only writes whose invalidation failed pay the wait.) With a cache private to the process (no
 * Redis) there is nobody to tell: the epoch is local.
 */
@Injectable()
export class CacheEpoch implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CacheEpoch.name);
  private readonly shared: boolean;
  private readonly leaseMs: number;
  private epoch: string | null = null;
  private askedAt = -Infinity;
  private polling = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.shared = config.cache.redisUrl !== undefined && config.cache.ttlSeconds > 0;
    this.leaseMs = config.cache.epochLeaseMs;
  }

  /** The current epoch, or null while this instance cannot be sure of it (then the cache is not used). */
  get value(): string | null {
    if (!this.shared) return 'local';
    return performance.now() - this.askedAt < this.leaseMs ? this.epoch : null;
  }

  async onModuleInit(): Promise<void> {
    if (!this.shared) return;
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.leaseMs / 4).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Makes everything cached so far unreachable for every instance, then waits until they all know. */
  async replace(): Promise<void> {
    const askedAt = performance.now();
    const [row]: { epoch: string }[] = await this.dataSource.query(
      `UPDATE cache_epoch SET epoch = gen_random_uuid() RETURNING epoch`,
    );
    this.learn(row.epoch, askedAt);
    this.logger.warn('The cache store missed an invalidation: cache epoch replaced, older entries are unreachable');
    await sleep(this.leaseMs);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const askedAt = performance.now();
    try {
      const [row]: { epoch: string }[] = await this.dataSource.query('SELECT epoch FROM cache_epoch');
      this.learn(row.epoch, askedAt);
    } catch {
      // The lease runs out and the cache goes unused until the database answers again.
    } finally {
      this.polling = false;
    }
  }

  private learn(epoch: string, askedAt: number): void {
    if (askedAt < this.askedAt) return; // an answer to an older question
    this.epoch = epoch;
    this.askedAt = askedAt;
  }
}
