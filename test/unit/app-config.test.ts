import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from '@app/config';

describe('configuration', () => {
  it('runs every role on embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    assert.deepEqual(config.roles, ['api', 'worker']);
    assert.equal(config.port, 8080);
    assert.equal(config.database.embedded, true);
    assert.equal(config.database.poolSize, 1);
    assert.equal(config.cache.redisUrl, undefined);
    assert.equal(config.kafka.brokers, undefined);
  });

  it('uses real services when their URLs are given', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db/orders',
      REDIS_URL: 'redis://cache:6379',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      DB_POOL_SIZE: '20',
    });
    assert.equal(config.database.embedded, false);
    assert.equal(config.database.poolSize, 20);
    assert.deepEqual(config.kafka.brokers, ['k1:9092', 'k2:9092']);
  });

  it('drains an API process on SIGTERM only when told how long; a lone worker never drains', () => {
    assert.equal(loadConfig({}).shutdownDrainMs, 0);
    assert.equal(loadConfig({ ROLES: 'api', SHUTDOWN_DRAIN_MS: '5000' }).shutdownDrainMs, 5000);
    assert.equal(loadConfig({ ROLES: 'worker', SHUTDOWN_DRAIN_MS: '5000' }).shutdownDrainMs, 0);
    assert.throws(() => loadConfig({ SHUTDOWN_DRAIN_MS: 'soon' }), /SHUTDOWN_DRAIN_MS: /);
  });

  it('keeps processed events 30 days and the timeline a year unless told otherwise; 0 keeps them forever', () => {
    assert.deepEqual(loadConfig({}).retention, { processedEventsDays: 30, timelineDays: 365 });
    assert.deepEqual(loadConfig({ PROCESSED_EVENTS_RETENTION_DAYS: '0', TIMELINE_RETENTION_DAYS: '90' }).retention, {
      processedEventsDays: 0,
      timelineDays: 90,
    });
    assert.throws(
      () => loadConfig({ PROCESSED_EVENTS_RETENTION_DAYS: '-1', TIMELINE_RETENTION_DAYS: '1.5' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /PROCESSED_EVENTS_RETENTION_DAYS: /.test(error.message) &&
        /TIMELINE_RETENTION_DAYS: /.test(error.message),
    );
  });

  it('runs one process unless API_WORKERS says how many (auto: one per core), which needs real services', () => {
    assert.deepEqual(loadConfig({}).processes, { api: 1, eventWorker: false });
    const services = { DATABASE_URL: 'postgres://db/orders', REDIS_URL: 'redis://cache:6379' };
    assert.deepEqual(loadConfig({ ...services, API_WORKERS: '3' }).processes, { api: 3, eventWorker: true });
    assert.deepEqual(loadConfig({ ...services, ROLES: 'api', API_WORKERS: '3' }).processes, {
      api: 3,
      eventWorker: false,
    });
    // auto counts the event worker among the cores; without the worker role every core serves the API.
    const cores = availableParallelism();
    assert.deepEqual(
      loadConfig({ ...services, API_WORKERS: 'auto' }).processes,
      cores > 1 ? { api: cores - 1, eventWorker: true } : { api: 1, eventWorker: false },
    );
    assert.deepEqual(loadConfig({ ...services, ROLES: 'api', API_WORKERS: 'auto' }).processes, {
      api: cores,
      eventWorker: false,
    });
    assert.throws(() => loadConfig({ ...services, API_WORKERS: '0' }), /API_WORKERS: /);
    for (const missing of ['DATABASE_URL', 'REDIS_URL'] as const) {
      const env: Record<string, string> = { ...services, API_WORKERS: '2' };
      delete env[missing];
      assert.throws(() => loadConfig(env), /API_WORKERS: 2 runs 3 processes, which needs DATABASE_URL and REDIS_URL/);
    }
    for (const workers of ['2', 'auto'])
      assert.throws(
        () => loadConfig({ ...services, ROLES: 'worker', API_WORKERS: workers }),
        /API_WORKERS: auto or more than 1 needs the api role in ROLES/,
      );
  });

  it('gives a lone worker its own default port', () => {
    assert.equal(loadConfig({ ROLES: 'worker' }).port, 8081);
  });

  it('names every bad variable and what is wrong with it', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'nohost', ROLES: 'api,cron' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /PORT: /.test(error.message) &&
        /DATABASE_URL: must start with postgres:\/\//.test(error.message) &&
        /KAFKA_BROKERS: must be a comma-separated list of host:port/.test(error.message) &&
        /ROLES/.test(error.message),
    );
  });
});
