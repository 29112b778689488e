import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Cache } from 'cache-manager';
import type { Counter, Histogram } from 'prom-client';
import { Metric } from '@app/observability';

type Operation = 'get' | 'set';

/** No request waits longer than this on the cache; PostgreSQL answers instead. */
export const CACHE_TIMEOUT_MS = 100;
/** After a failure the cache is left alone this long, so an outage costs one timeout, not one per request. */
const PAUSE_AFTER_FAILURE_MS = 1_000;

class CacheUnavailableError extends Error {}

/**
 * The cache as an accelerator only: every operation is bounded in time, failures are counted and
 * answered as "not cached", and use resumes by itself once the store answers again.
 */
@Injectable()
export class ResilientCache {
  private readonly logger = new Logger(ResilientCache.name);
  private pausedUntil = 0;
  private lastError: string | null = null;
  // cache-manager reports store failures as events and carries on; these note the latest one.
  private storeErrors = 0;
  private storeError: unknown;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @InjectMetric(Metric.cacheErrors) private readonly errors: Counter<'operation'>,
    @InjectMetric(Metric.cacheOperationDuration) private readonly duration: Histogram<'operation'>,
  ) {
    const noteError = (payload?: { error?: unknown }) => {
      if (!payload?.error) return;
      this.storeErrors++;
      this.storeError = payload.error;
    };
    for (const event of ['mget', 'set', 'mset'] as const) this.cache.on(event, noteError);
    for (const operation of ['get', 'set']) this.errors.inc({ operation }, 0);
  }

  /** Whether the last operation failed (for /health/ready). */
  get degraded(): string | null {
    return Date.now() < this.pausedUntil ? this.lastError : null;
  }

  async mget<T>(keys: string[]): Promise<(T | undefined)[]> {
    const values = await this.run('get', () => this.cache.mget<T>(keys));
    return values ?? keys.map(() => undefined);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.run('set', () => this.cache.set(key, value, ttlMs));
  }

  async mset(entries: { key: string; value: unknown; ttl: number }[]): Promise<boolean> {
    return (await this.run('set', () => this.cache.mset(entries))) !== undefined;
  }

  /** Probes the store even while paused (health checks). */
  async ping(): Promise<boolean> {
    this.pausedUntil = 0;
    return (await this.run('get', () => this.cache.mget(['health:ping']))) !== undefined;
  }

  private async run<T>(operation: Operation, work: () => Promise<T>): Promise<T | undefined> {
    if (Date.now() < this.pausedUntil) return undefined;
    const end = this.duration.startTimer({ operation });
    const errorsBefore = this.storeErrors;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        // On a busy event loop the timer can fire before the answer that has already arrived is read:
        // the reads of this turn come first (setImmediate runs after them), so only silence counts.
        const giveUp = () => reject(new CacheUnavailableError(`no answer within ${CACHE_TIMEOUT_MS} ms`));
        timer = setTimeout(() => setImmediate(giveUp), CACHE_TIMEOUT_MS);
      });
      const result = await Promise.race([work(), timeout]);
      if (this.storeErrors !== errorsBefore) throw this.storeError;
      if (this.lastError) this.logger.log('Cache answers again');
      this.lastError = null;
      return result;
    } catch (error) {
      this.errors.inc({ operation });
      if (!this.lastError) this.logger.warn(`Cache unavailable, serving from PostgreSQL: ${(error as Error).message}`);
      this.lastError = (error as Error).message;
      this.pausedUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
      return undefined;
    } finally {
      clearTimeout(timer);
      end();
    }
  }
}
