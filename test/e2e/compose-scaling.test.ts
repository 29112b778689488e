import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '@app/config';
import { repoRoot } from '../support/prometheus';

// Needs Debian's `docker-compose` and `haproxy` packages; no Docker engine.

interface ComposeService {
  environment?: Record<string, string | number>;
  ports?: unknown[];
  container_name?: string;
  stop_grace_period?: string;
}

const compose = parse(
  execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: repoRoot, encoding: 'utf8' }),
) as { services: Record<string, ComposeService> };
const haproxyConfig = join(repoRoot, 'deploy/haproxy/haproxy.cfg');
const envOf = (service: ComposeService) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, String(value)]));
const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)?.[1]);

describe('docker-compose.yml, scaled (--scale api=N --scale worker=N)', () => {
  it('lets api and worker run as many replicas: no fixed host port or container name', () => {
    for (const name of ['api', 'worker']) {
      const service = compose.services[name];
      assert.ok(service, name);
      assert.equal(service.ports, undefined, `${name} publishes no host port`);
      assert.equal(service.container_name, undefined);
      for (const variable of Object.keys(envOf(service))) assert.ok(CONFIG_VARIABLES.includes(variable), variable);
      loadConfig(envOf(service));
    }
  });

  it('puts the API replicas behind HAProxy on 8080, with a configuration HAProxy accepts', () => {
    assert.ok(JSON.stringify(compose.services.haproxy.ports).includes('8080'));
    const check = spawnSync('haproxy', ['-c', '-f', haproxyConfig], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });

  it('drains a stopping API replica for longer than HAProxy takes to notice, within the stop grace period', () => {
    const config = readFileSync(haproxyConfig, 'utf8');
    const [, inter, fall] = /default-server inter (\d+)s fall (\d+)/.exec(config) ?? [];
    assert.ok(inter && fall, 'health-check timing in haproxy.cfg');
    const { shutdownDrainMs } = loadConfig(envOf(compose.services.api));
    assert.ok(shutdownDrainMs > Number(inter) * Number(fall) * 1000, `drain ${shutdownDrainMs} ms`);
    assert.ok(seconds(compose.services.api.stop_grace_period ?? '10s') * 1000 >= shutdownDrainMs + 15_000);
  });
});
