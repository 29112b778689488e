export { HealthChecks, HealthChecksModule } from './health-checks';
export { HttpMetricsHook } from './http-metrics.hook';
export { createAppLogger, loggerParams } from './app-logger';
export { LoggingModule } from './logging.module';
export { Metric, metricProviders } from './metrics';
export { MetricsModule } from './metrics.module';
export { assignRequestId, REQUEST_ID_HEADER, requestIdOf } from './request-id';
export { scrapeGauge } from './scrape-gauge';
export { answerMetricsRequests, exposedMetrics, serveClusterMetrics } from './cluster-metrics';
