import { createClient } from '@keyv/redis';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterAbstract,
  RateLimiterRes,
  RLWrapperTimeouts,
} from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig, type RateLimitBudgetName } from '@app/config';
import type { RateLimitState } from './rate-limit-headers';

const WINDOW_SECONDS = 60;
/** Longer than this and Redis counts as down for the request: a limit must never hold up the API. */
const REDIS_TIMEOUT_MS = 100;
/** How long start-up waits for Redis, so that the first requests already share the budget. */
const CONNECT_WAIT_MS = 2_000;

const createRedisClient = (url: string) =>
  createClient({
    url,
    socket: { connectTimeout: 1_000, reconnectStrategy: (retries: number) => Math.min(retries * 100, 2_000) },
    // A command while disconnected fails at once (and the request is counted in memory) instead of queueing.
    disableOfflineQueue: true,
  });
type RedisClient = ReturnType<typeof createRedisClient>;

/**
 * One limiter per budget. With REDIS_URL every instance counts in Redis, so a caller has one budget
 * however many instances serve it. Whenever Redis fails or is slow, this process counts on its own
 * in memory (each instance then allows the full budget) rather than failing or stalling requests.
 */
@Injectable()
export class RateLimiters implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis?: RedisClient;
  private readonly limiters = new Map<RateLimitBudgetName, { limiter: RateLimiterAbstract; points: number }>();
  private shared = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { perMinute, redisUrl, keyPrefix } = config.http.rateLimit;
    if (redisUrl && Object.values(perMinute).some((points) => points > 0)) this.redis = createRedisClient(redisUrl);
    for (const [budget, points] of Object.entries(perMinute) as [RateLimitBudgetName, number][]) {
      if (points === 0) continue;
      const options = { points, duration: WINDOW_SECONDS, keyPrefix: `${keyPrefix}:${budget}` };
      const inMemory = new RateLimiterMemory(options);
      this.limiters.set(budget, {
        points,
        limiter: this.redis
          ? new RLWrapperTimeouts({
              limiter: new RateLimiterRedis({
                ...options,
                storeClient: this.redis,
                useRedisPackage: true,
                rejectIfRedisNotReady: true,
              }),
              timeoutMs: REDIS_TIMEOUT_MS,
              insuranceLimiter: inMemory,
            })
          : inMemory,
      });
    }
  }

  /** Spends one request of `key` from `budget`; undefined when that budget is not limited. */
  async consume(
    budget: RateLimitBudgetName,
    key: string,
  ): Promise<{ allowed: boolean; state: RateLimitState } | undefined> {
    const { limiter, points } = this.limiters.get(budget) ?? {};
    if (!limiter || !points) return undefined;
    let allowed = true;
    let result: RateLimiterRes;
    try {
      result = await limiter.consume(key);
    } catch (rejection) {
      // Over budget rejects with the state; anything else got past the in-memory fallback too.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      allowed = false;
      result = rejection;
    }
    const state: RateLimitState = {
      budget,
      limit: points,
      windowSeconds: WINDOW_SECONDS,
      remaining: result.remainingPoints,
      resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
    };
    return { allowed, state };
  }

  async onApplicationShutdown(): Promise<void> {
    const client = this.redis;
    if (!client?.isOpen) return;
    // A client still reconnecting has nothing to finish: stop it at once.
    if (client.isReady) await client.close().catch(() => client.destroy());
    else client.destroy();
  }

  async onModuleInit(): Promise<void> {
    const client = this.redis;
    if (!client) return;
    const host = new URL(client.options?.url ?? 'redis://').host;
    client.on('ready', () => {
      if (!this.shared) this.logger.log(`Counting rate limits in Redis at ${host}`);
      this.shared = true;
    });
    client.on('error', () => {
      if (this.shared) this.logger.warn('Redis unavailable: counting rate limits in this process until it is back');
      this.shared = false;
    });
    // It goes on reconnecting in the background; meanwhile this process counts on its own.
    const connected = client.connect().then(
      () => true,
      () => false,
    );
    if (!(await Promise.race([connected, sleep(CONNECT_WAIT_MS, false)])))
      this.logger.warn(`Redis at ${host} unavailable: counting rate limits in this process until it is`);
  }
}
