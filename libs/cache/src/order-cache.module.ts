import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config/app-config';
import { createCacheStore } from './cache-store.factory';
import { OrderCache } from './order-cache';
import { OrderCacheInterceptor } from './order-cache.interceptor';
import { ResilientCache } from './resilient-cache';

@Module({
  imports: [
    CacheModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // keyv ships CommonJS and ESM typings of one class; TypeScript sees two types, the runtime one store.
        stores: [createCacheStore(config) as never],
        ttl: config.cache.ttlSeconds * 1000,
      }),
    }),
  ],
  providers: [ResilientCache, OrderCache, OrderCacheInterceptor],
  exports: [ResilientCache, OrderCache, OrderCacheInterceptor],
})
export class OrderCacheModule {}
