import { resolve } from 'node:path';
import type { AppConfig, KafkaSettings } from '@app/config';
import { describeDatabase } from '@app/database';

/**
 * One line saying where the process listens, what it runs and which services it uses (no secrets).
 * Without a port: the event worker of API_WORKERS, which serves none.
 */
export function startupSummary(config: AppConfig, port?: number, managementPort?: number): string {
  const api = config.roles.includes('api');
  const database = config.database.url
    ? `PostgreSQL ${describeDatabase(config.database.url)}`
    : `embedded PostgreSQL in ${resolve(config.database.dataDir, 'pglite')}`;
  const cache = !api
    ? null
    : config.cache.ttlSeconds === 0
      ? 'off'
      : config.cache.redisUrl
        ? `Redis ${redisTarget(config.cache.redisUrl)}`
        : 'in memory';
  const events = config.roles.includes('worker')
    ? config.kafka.brokers
      ? `Kafka ${config.kafka.brokers.join(',')}${kafkaSecurity(config.kafka)}`
      : 'in-process (no Kafka)'
    : null;
  return [
    port === undefined
      ? "Ready: outbox relay and consumer (event worker; its metrics are on the API workers' /metrics)"
      : `Ready on http://localhost:${port}${api ? ' (Swagger UI: /docs)' : managementPort ? '' : ' (/health, /metrics)'}`,
    ...(managementPort ? [`/health, /metrics on http://localhost:${managementPort}`] : []),
    `roles: ${config.roles.join(', ')}`,
    `database: ${database}`,
    ...(cache ? [`cache: ${cache}`] : []),
    ...(events ? [`events: ${events}`] : []),
    ...(api ? [`auth: ${authSummary(config)}`] : []),
  ].join(' | ');
}

function authSummary({ auth }: AppConfig): string {
  if (auth.mode === 'issuer') return `tokens of ${auth.issuer} for ${auth.audience}`;
  if (auth.mode === 'self-issued') return 'self-issued tokens (npm run token)';
  return 'OFF (AUTH_DISABLED)';
}

/** How the service connects, never with what: the user name at most, no password. */
function kafkaSecurity({ tls, sasl }: KafkaSettings): string {
  if (sasl) return ` (${tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'} ${sasl.mechanism.toUpperCase()} as ${sasl.username})`;
  return tls ? ' (SSL)' : '';
}

function redisTarget(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  return `${hostname}:${port || 6379}/${pathname.replace('/', '') || '0'}`;
}
