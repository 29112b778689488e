import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '@app/config';

const dir = mkdtempSync(join(tmpdir(), 'kafka-settings-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('Kafka settings', () => {
  it('connects without TLS or SASL and lets the cluster size decide replication when nothing is set', () => {
    const { kafka } = loadConfig({ KAFKA_BROKERS: 'k1:9092' });
    assert.equal(kafka.tls, false);
    assert.equal(kafka.sasl, undefined);
    assert.equal(kafka.replicationFactor, undefined);
    assert.equal(kafka.minInsyncReplicas, undefined);
  });

  it('reads the password and the CA from files, turns TLS on, and never prints the password', () => {
    const { kafka } = loadConfig({
      KAFKA_BROKERS: 'k1:9094',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'orders-service',
      KAFKA_SASL_PASSWORD_FILE: file('password', 's3cret-value\n'),
      KAFKA_SSL_CA_FILE: file('ca.pem', '-----BEGIN CERTIFICATE-----\n'),
    });
    assert.equal(kafka.sasl?.password.reveal(), 's3cret-value');
    assert.deepEqual(kafka.tls, { ca: '-----BEGIN CERTIFICATE-----\n' });
    for (const printed of [JSON.stringify(kafka), inspect(kafka, { depth: 5 }), `${kafka.sasl?.password}`])
      assert.doesNotMatch(printed, /s3cret-value/);
  });

  it('names an unreadable file, and what is missing or contradictory', () => {
    const rejects = (env: NodeJS.ProcessEnv, ...problems: RegExp[]) =>
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && problems.every((problem) => problem.test(error.message)),
      );
    rejects({ KAFKA_SSL_CA_FILE: join(dir, 'absent.pem') }, /KAFKA_SSL_CA_FILE: cannot read .*absent\.pem/);
    rejects(
      { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_REPLICATION_FACTOR: '1', KAFKA_MIN_INSYNC_REPLICAS: '2' },
      /KAFKA_SASL_USERNAME: is required/,
      /KAFKA_SASL_PASSWORD: give either/,
      /KAFKA_MIN_INSYNC_REPLICAS: cannot exceed/,
    );
  });
});
