import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '@app/config';

describe('HTTP edge settings', () => {
  it('default to no CORS, no trusted proxy, no management port, 600 requests a minute and 10 bulks', () => {
    const { http } = loadConfig({});
    assert.deepEqual(http.corsOrigins, []);
    assert.equal(http.trustProxy, false);
    assert.equal(http.managementPort, undefined);
    assert.deepEqual(http.rateLimit.perMinute, { default: 600, bulk: 10 });
    assert.equal(http.rateLimit.redisUrl, undefined);
  });

  it('share the rate limits through REDIS_URL, and turn a limit off with 0', () => {
    const { http } = loadConfig({ REDIS_URL: 'redis://cache:6379', RATE_LIMIT_PER_MINUTE: '0' });
    assert.equal(http.rateLimit.redisUrl, 'redis://cache:6379');
    assert.deepEqual(http.rateLimit.perMinute, { default: 0, bulk: 10 });
    assert.throws(() => loadConfig({ RATE_LIMIT_BULK_PER_MINUTE: '-1' }), /RATE_LIMIT_BULK_PER_MINUTE: /);
  });

  it('read TRUST_PROXY as a hop count or addresses, never as "trust everyone"', () => {
    assert.equal(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy, 1);
    assert.deepEqual(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).http.trustProxy, ['loopback', '10.0.0.0/8']);
    assert.throws(() => loadConfig({ TRUST_PROXY: 'true' }), /TRUST_PROXY: /);
  });

  it('take CORS origins as exact origins only', () => {
    const origins = 'https://shop.example, http://localhost:3000';
    assert.deepEqual(loadConfig({ CORS_ORIGINS: origins }).http.corsOrigins, [
      'https://shop.example',
      'http://localhost:3000',
    ]);
    for (const bad of ['*', 'shop.example', 'https://shop.example/', 'https://shop.example/path'])
      assert.throws(() => loadConfig({ CORS_ORIGINS: bad }), /CORS_ORIGINS: /, bad);
  });

  it('keep the management port apart from the public one', () => {
    assert.equal(loadConfig({ MANAGEMENT_PORT: '9464' }).http.managementPort, 9464);
    assert.throws(() => loadConfig({ MANAGEMENT_PORT: '8080' }), /MANAGEMENT_PORT: must differ from PORT/);
    assert.throws(() => loadConfig({ ROLES: 'worker', MANAGEMENT_PORT: '8081' }), /MANAGEMENT_PORT: /);
  });
});
