import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { createHash, randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import { ResilientCache } from '@app/cache';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Metric } from '@app/observability';
import { canonicalJson } from '../canonical-json';
import { OrderChangeFeed } from '../order-change-feed';
import { OrderEventType } from '../domain/order-event-type';
import { CacheEpoch } from './cache-epoch';

type CachedKind = 'order' | 'list';

/** A read through the cache: the value, and whether the cache answered it. */
export interface CacheRead<T> {
  value: T;
  hit: boolean;
}

/**
 * Bump when the shape of cached values, or how the store keeps them, changes: old entries are then
 * simply never read again (v3: entries kept as plain text, see entry-serialization).
 */
const KEY_PREFIX = 'orders:v3';
// Generations outlive any entry made under them, so an expired generation can never revive one.
const GENERATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const LIST_GENERATION_KEY = `${KEY_PREFIX}:gen:list`;
const orderGenerationKey = (id: string) => `${KEY_PREFIX}:gen:order:${id}`;

/** An entry is the generation it was loaded under, a newline, then the value's JSON. */
const entryOf = (generation: string, value: unknown) => `${generation}\n${JSON.stringify(value)}`;
const jsonUnder = (generation: string, entry: string | undefined) =>
  entry?.startsWith(`${generation}\n`) ? entry.slice(generation.length + 1) : undefined;

/**
 * Owns the read cache's keys and TTLs. Every entry records the generation it was loaded under, and
 * every committed write replaces the generation (per order for by-id reads, one for all list pages),
 * so a write makes every older entry unservable at once, on every instance sharing the store; a value
 * computed from a read that raced with the write carries the old generation and is never served. An
 * entry and its current generation are read in one round trip. When the store misses an invalidation,
 * the write replaces the cache epoch instead (CacheEpoch), which every key carries.
 *
 * Values are kept as their JSON text, so the store's own serializer handles one string, not every field.
 *
 * Entries are shared by every caller: the service checks each value it gets against the caller's
 * scope, cached or not, and a customer's list pages are keyed by a filter that names the customer.
 */
@Injectable()
export class OrderReadCache implements OnModuleInit {
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(
    private readonly cache: ResilientCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectMetric(Metric.cacheHits) private readonly hits: Counter<'kind'>,
    @InjectMetric(Metric.cacheMisses) private readonly misses: Counter<'kind'>,
    private readonly feed: OrderChangeFeed,
    private readonly epoch: CacheEpoch,
  ) {
    for (const kind of ['order', 'list']) {
      this.hits.inc({ kind }, 0);
      this.misses.inc({ kind }, 0);
    }
  }

  onModuleInit(): void {
    // A new order has nothing cached under its id (an order not found is not cached): only the list
    // pages change, and no generation key is left behind for it.
    this.feed.onCommitted((changes) =>
      this.invalidate(
        changes.filter((change) => change.eventType !== OrderEventType.ORDER_PLACED).map((change) => change.order.id),
      ),
    );
  }

  /** One order by id (lower-case UUID). */
  order<T>(id: string, load: () => Promise<T>): Promise<CacheRead<T>> {
    return this.read('order', id, load);
  }

  /** A list page, keyed by the validated filter: equal filters share an entry however they were written. */
  page<T>(filter: object, load: () => Promise<T>): Promise<CacheRead<T>> {
    return this.read('list', createHash('sha1').update(canonicalJson(filter)).digest('base64url'), load);
  }

  /** The cached value, or `load()`'s (one call for any number of concurrent misses on a key). */
  private async read<T>(kind: CachedKind, subject: string, load: () => Promise<T>): Promise<CacheRead<T>> {
    const epoch = this.config.cache.ttlSeconds === 0 ? null : this.epoch.value;
    if (epoch !== null) {
      const key = `${KEY_PREFIX}:${epoch}:${kind}:${subject}`;
      const generationKey = kind === 'order' ? orderGenerationKey(subject) : LIST_GENERATION_KEY;
      const [generation = '0', entry] = await this.cache.mget<string>([generationKey, key]);
      // The epoch may have moved while the store answered: what was read under the old one is not used.
      if (this.epoch.value === epoch) {
        const json = jsonUnder(generation, entry);
        if (json !== undefined) {
          this.hits.inc({ kind });
          return { value: JSON.parse(json) as T, hit: true };
        }
        this.misses.inc({ kind });
        // Concurrent misses share one load only under one generation: a read that starts after a
        // write sees a new generation and never joins a load that started before it.
        const value = await this.loadOnce(`${key}:${generation}`, load);
        void this.cache.set(key, entryOf(generation, value), this.ttlMs());
        return { value, hit: false };
      }
    }
    // Without a trusted epoch there is no generation to tell loads apart: each read loads for itself.
    this.misses.inc({ kind });
    return { value: await load(), hit: false };
  }

  /** After a commit: every cached copy of these orders, and every list page, becomes unreachable. */
  private async invalidate(orderIds: readonly string[]): Promise<void> {
    const generation = randomUUID();
    const entries = [LIST_GENERATION_KEY, ...orderIds.map(orderGenerationKey)].map((key) => ({
      key,
      value: generation,
      ttl: GENERATION_TTL_MS,
    }));
    // The store missed it: replace the epoch (part of every key), or the write is not acknowledged.
    if (!(await this.cache.mset(entries))) await this.epoch.replace();
  }

  private loadOnce<T>(key: string, load: () => Promise<T>): Promise<T> {
    const pending = this.loading.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const started = load().finally(() => this.loading.delete(key));
    this.loading.set(key, started);
    return started;
  }

  /** TTL with ±10% jitter, so entries filled together do not expire together. */
  private ttlMs(): number {
    return Math.round(this.config.cache.ttlSeconds * 1000 * (0.9 + Math.random() * 0.2));
  }
}
