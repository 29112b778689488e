import { Global, Module, OnModuleInit } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';
import { metricProviders } from './metrics';

/** /metrics on every process: the project's metrics and the Node.js runtime metrics. */
@Global()
@Module({
  imports: [PrometheusModule.register({ defaultMetrics: { enabled: false }, path: '/metrics' })],
  providers: metricProviders,
  exports: metricProviders,
})
export class MetricsModule implements OnModuleInit {
  onModuleInit(): void {
    // Once per process: prom-client refuses to register its runtime metrics twice.
    if (!register.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics();
  }
}
