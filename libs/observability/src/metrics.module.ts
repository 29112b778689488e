import { type DynamicModule, Global, Module, OnModuleInit, type Type } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';
import { metricProviders } from './metrics';

/** /metrics on every process: the project's metrics and the Node.js runtime metrics. */
@Global()
@Module({})
export class MetricsModule implements OnModuleInit {
  /** `controller`: a subclass of PrometheusController that serves /metrics (e.g. with API documentation). */
  static forRoot(controller?: Type<unknown>): DynamicModule {
    return {
      module: MetricsModule,
      imports: [PrometheusModule.register({ defaultMetrics: { enabled: false }, path: '/metrics', controller })],
      providers: metricProviders,
      exports: metricProviders,
    };
  }

  onModuleInit(): void {
    // Once per process: prom-client refuses to register its runtime metrics twice.
    if (!register.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics();
  }
}
