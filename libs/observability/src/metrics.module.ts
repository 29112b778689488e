import { Global, Module, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';
import { DataSource } from 'typeorm';
import { Metric, metricProviders } from './metrics';
import { scrapeGauge } from './scrape-gauge';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** /metrics on every process: the project's metrics, database pool and Node.js runtime metrics. */
@Global()
@Module({
  imports: [PrometheusModule.register({ defaultMetrics: { enabled: false }, path: '/metrics' })],
  providers: metricProviders,
  exports: metricProviders,
})
export class MetricsModule implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    // Once per process: prom-client refuses to register its runtime metrics twice.
    if (!register.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics();
    scrapeGauge(Metric.dbPoolConnections, 'Database pool connections by state', ['state'], (gauge) => {
      const pool = (this.dataSource.driver as unknown as { master?: PgPool }).master;
      if (!pool) return;
      gauge.set({ state: 'total' }, pool.totalCount);
      gauge.set({ state: 'idle' }, pool.idleCount);
      gauge.set({ state: 'waiting' }, pool.waitingCount);
    });
  }
}
