import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

/**
 * Every metric the processes export, in one place (deploy/prometheus and deploy/grafana use these
 * names). Labels stay low-cardinality: never an order id, customer id or free text.
 */
export const Metric = {
  httpDuration: 'http_server_request_duration_seconds',
  httpInFlight: 'http_server_requests_in_flight',
  ordersCreated: 'orders_created_total',
  orderTransitions: 'order_transitions_total',
  orderCancellations: 'order_cancellations_total',
  orderValue: 'order_value_minor_units',
  ordersByStatus: 'orders_by_status',
  outboxPending: 'outbox_pending_events',
  outboxOldestAge: 'outbox_oldest_pending_age_seconds',
  outboxPublishDuration: 'outbox_publish_duration_seconds',
  outboxPublished: 'outbox_published_events_total',
  outboxPublishErrors: 'outbox_publish_errors_total',
  eventsConsumed: 'order_events_consumed_total',
  commitToConsume: 'order_event_commit_to_consume_seconds',
  eventContractViolations: 'order_event_contract_violations_total',
  consumerLag: 'kafka_consumer_lag_messages',
  cacheHits: 'cache_hits_total',
  cacheMisses: 'cache_misses_total',
  cacheErrors: 'cache_errors_total',
  cacheOperationDuration: 'cache_operation_duration_seconds',
  dbPoolConnections: 'db_pool_connections',
} as const;

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const metricProviders = [
  makeHistogramProvider({
    name: Metric.httpDuration,
    help: 'HTTP request duration by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'],
    buckets: latencyBuckets,
  }),
  makeGaugeProvider({ name: Metric.httpInFlight, help: 'HTTP requests being served' }),
  makeCounterProvider({ name: Metric.ordersCreated, help: 'Orders placed', labelNames: ['channel'] }),
  makeCounterProvider({ name: Metric.orderTransitions, help: 'Order status changes', labelNames: ['from', 'to'] }),
  makeCounterProvider({
    name: Metric.orderCancellations,
    help: 'Order cancellations by reason code (free-text reasons count as "other")',
    labelNames: ['reason'],
  }),
  makeHistogramProvider({
    name: Metric.orderValue,
    help: 'Total of placed orders in minor units of their currency',
    labelNames: ['currency'],
    buckets: [100, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000],
  }),
  makeHistogramProvider({
    name: Metric.outboxPublishDuration,
    help: 'Time to publish one outbox batch and have it acknowledged',
    buckets: latencyBuckets,
  }),
  makeCounterProvider({ name: Metric.outboxPublished, help: 'Outbox events published' }),
  makeCounterProvider({ name: Metric.outboxPublishErrors, help: 'Outbox batches that failed to publish' }),
  makeCounterProvider({
    name: Metric.eventsConsumed,
    help: 'Order events handled by the consumer, by result',
    labelNames: ['result'],
  }),
  makeCounterProvider({
    name: Metric.eventContractViolations,
    help: 'Order events that broke their published schema when written (a bug; production only counts them)',
    labelNames: ['type'],
  }),
  makeHistogramProvider({
    name: Metric.commitToConsume,
    help: 'From the commit of an order change to the consumer applying its event',
    buckets: latencyBuckets,
  }),
  makeCounterProvider({ name: Metric.cacheHits, help: 'Cache lookups answered from the cache', labelNames: ['kind'] }),
  makeCounterProvider({
    name: Metric.cacheMisses,
    help: 'Cache lookups that went to the database',
    labelNames: ['kind'],
  }),
  makeCounterProvider({
    name: Metric.cacheErrors,
    help: 'Cache operations that failed (get, set)',
    labelNames: ['operation'],
  }),
  makeHistogramProvider({
    name: Metric.cacheOperationDuration,
    help: 'Duration of cache operations',
    labelNames: ['operation'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
  }),
];
