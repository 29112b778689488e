import type { AppConfig } from '@app/config';
import { orderMigrations } from '@app/orders';
import type { AppComposition } from '@app/platform';
import { OrdersApiModule } from './api/orders-api.module';
import { OrdersWorkerModule } from './worker/orders-worker.module';
import { workerTransports } from './worker/worker-transports';

const ORDERS_TAG = { name: 'orders', description: 'Orders and their lifecycle: place, read, revise, move on, cancel' };

/** The modules and transports of the roles this process runs (ROLES). */
export function compositionFor(config: AppConfig): AppComposition {
  const api = config.roles.includes('api');
  const worker = config.roles.includes('worker');
  return {
    modules: [...(api ? [OrdersApiModule] : []), ...(worker ? [OrdersWorkerModule.forConfig(config)] : [])],
    migrations: orderMigrations,
    microservices: worker ? workerTransports(config) : [],
    docs: api,
    apiTags: [ORDERS_TAG],
  };
}
