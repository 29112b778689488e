import type { DataSourceOptions } from 'typeorm';
import { OrderLineEntity } from '@app/orders/persistence/order-line.entity';
import { OrderEntity } from '@app/orders/persistence/order.entity';
import { CreateOrders1764000000000 } from './migrations/1764000000000-create-orders';
import { CreateOrderTimeline1764000000001 } from './migrations/1764000000001-create-order-timeline';

export const entities = [OrderEntity, OrderLineEntity];
export const migrations = [CreateOrders1764000000000, CreateOrderTimeline1764000000001];

/**
 * One definition of the TypeORM connection for the app and the migrate script. Migrations are run
 * by runMigrations (one process at a time), never implicitly at connect.
 */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsRun: false,
    synchronize: false,
    poolSize,
    extra: { connectionTimeoutMillis: 5_000 },
  };
}
