import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';

const CHANNEL = 'orders_cache_epoch';
const RECONNECT_MS = 1_000;

/**
 * The read cache's epoch, kept in PostgreSQL (the one thing every instance always shares with every
 * writer) and part of every cache key. When a write cannot invalidate in the cache store (Redis
 * down, frozen, or cut off from this instance), it replaces the epoch before it is acknowledged:
 * every instance learns it by NOTIFY and stops reading whatever was cached before. While an instance
 * is not sure of the current epoch (its listening connection is down), it does not use the cache.
 *
 * With a cache private to the process (no Redis) there is nobody to tell: the epoch is local.
 */
@Injectable()
export class CacheEpoch implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CacheEpoch.name);
  private current: string | null = null;
  private client: Client | null = null;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The current epoch, or null while it is not known for sure (then the cache is not used). */
  get value(): string | null {
    return this.current;
  }

  async onModuleInit(): Promise<void> {
    if (this.config.cache.redisUrl && this.config.cache.ttlSeconds > 0) await this.listen();
    else this.current = 'local';
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  /** Makes everything cached so far unreachable, for every instance. */
  async replace(): Promise<void> {
    const [row]: { epoch: string }[] = await this.dataSource.query(
      `WITH replaced AS (UPDATE cache_epoch SET epoch = gen_random_uuid() RETURNING epoch)
       SELECT epoch, pg_notify($1, epoch::text) FROM replaced`,
      [CHANNEL],
    );
    if (this.current !== null) this.current = row.epoch;
    this.logger.warn('The cache store missed an invalidation: cache epoch replaced, older entries are unreachable');
  }

  private async listen(): Promise<void> {
    const { url } = this.dataSource.options as { url: string };
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    this.client = client;
    const lost = (error: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      this.current = null;
      void client.end().catch(() => undefined);
      this.logger.warn({ err: error }, 'Cache epoch connection lost; not using the cache until it is back');
      if (!this.stopped) this.retry = setTimeout(() => void this.listen(), RECONNECT_MS).unref();
    };
    client.on('error', lost);
    // Notifications arrive in commit order, after any read below: the last one holds the current epoch.
    client.on('notification', ({ payload }) => {
      if (payload && this.client === client) this.current = payload;
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      const { rows } = await client.query<{ epoch: string }>('SELECT epoch FROM cache_epoch');
      if (this.client === client) this.current ??= rows[0].epoch;
    } catch (error) {
      lost(error);
    }
  }
}
