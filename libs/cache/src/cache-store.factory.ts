import KeyvRedis from '@keyv/redis';
import { Logger } from '@nestjs/common';
import { Keyv } from 'keyv';
import type { AppConfig } from '@app/config';
import { deserializeEntry, serializeEntry } from './entry-serialization';

/** Redis when REDIS_URL is set, otherwise memory in this process. */
export function createCacheStore(config: AppConfig): Keyv {
  const { redisUrl } = config.cache;
  if (!redisUrl) return new Keyv();
  const store = new KeyvRedis(
    {
      url: redisUrl,
      socket: { connectTimeout: 1_000, reconnectStrategy: (retries: number) => Math.min(retries * 100, 2_000) },
    },
    // Failures surface as errors (counted, and the request falls back to PostgreSQL) instead of silent misses.
    { throwOnErrors: true, throwOnConnectError: false, connectionTimeout: 1_000 },
  );
  const keyv = new Keyv({
    store,
    useKeyPrefix: false,
    throwOnErrors: true,
    serialize: serializeEntry,
    deserialize: deserializeEntry,
  });
  keyv.namespace = undefined; // keys in Redis are exactly the cache's own (orders:v3:...), no "keyv::" prefix
  keyv.on('error', () => undefined); // reported per operation by ResilientCache
  new Logger('Cache').log(`Caching reads in Redis at ${new URL(redisUrl).host}`);
  return keyv;
}
