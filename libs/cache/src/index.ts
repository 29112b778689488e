export { ReadCacheModule } from './read-cache.module';
export { CACHE_TIMEOUT_MS, ResilientCache } from './resilient-cache';
export { deserializeEntry, serializeEntry } from './entry-serialization';
