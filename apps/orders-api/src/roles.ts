import type { DynamicModule, Type } from '@nestjs/common';
import type { AppConfig } from '@app/config/app-config';
import { OrdersWorkerModule } from '@app/worker/orders-worker.module';
import { OrdersApiModule } from './orders-api.module';

/** The feature modules of the roles this process runs (ROLES). */
export function modulesForRoles(config: AppConfig): (Type | DynamicModule)[] {
  return [
    ...(config.roles.includes('api') ? [OrdersApiModule] : []),
    ...(config.roles.includes('worker') ? [OrdersWorkerModule.forConfig(config)] : []),
  ];
}
