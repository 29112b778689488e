import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { AppProcess } from '../support/app-process';
import { eventually } from '../support/eventually';
import { orderDraft, request } from '../support/http';
import { secureClient, secureListener } from '../support/kafka-cluster';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

// Needs the SASL_SSL listener test/run-tests.mjs starts (KAFKA_SASL_SSL=1, TEST_KAFKA_SASL_BROKERS).
let db: TestDatabase;
let api: TestApp;
let worker: AppProcess;
const matrix: string[] = [];

/** Reads `topic` from the beginning as `group` until a record keyed `key` arrives. */
async function readKey(client: Kafka, topic: string, group: string, key: string): Promise<void> {
  const consumer = client.consumer({ groupId: group });
  let seen = false;
  let failure: Error | undefined;
  consumer.on(consumer.events.CRASH, ({ payload }) => (failure = payload.error));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void (seen ||= message.key?.toString() === key) });
    await eventually(() => seen || failure !== undefined, 30_000, `${key} on ${topic} as ${group}`);
    if (failure) throw failure;
  } finally {
    await consumer.disconnect();
  }
}

async function produce(client: Kafka, topic: string): Promise<void> {
  const producer = client.producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: 'forged', value: '{}' }] });
  } finally {
    await producer.disconnect();
  }
}

async function connectAdmin(client: Kafka): Promise<void> {
  const admin = client.admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

/** Runs one cell of the ACL matrix and records it for the report. */
async function cell(what: string, outcome: 'allowed' | RegExp, work: () => Promise<void>): Promise<void> {
  if (outcome === 'allowed') await work();
  else await assert.rejects(work, outcome, what);
  matrix.push(`${what}: ${outcome === 'allowed' ? 'allowed' : 'refused'}`);
}

before(async () => {
  assert.ok(secureListener.brokers.length > 0, 'this suite needs the SASL_SSL listener (TEST_KAFKA_SASL_BROKERS)');
  db = await TestDatabase.create();
  api = await startTestApp({ DATABASE_URL: db.url, ROLES: 'api' });
  worker = AppProcess.start({
    DATABASE_URL: db.url,
    KAFKA_BROKERS: secureListener.brokers.join(','),
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'orders-service',
    KAFKA_SASL_PASSWORD_FILE: secureListener.passwordFile('orders-service'),
    KAFKA_SSL_CA_FILE: secureListener.caFile,
    LOG_LEVEL: 'debug',
  });
});

after(async () => {
  await worker?.stop();
  await api?.close();
  await db?.drop();
  console.log(`ACL matrix as tested:\n  ${matrix.join('\n  ')}`);
});

describe('Kafka over SASL_SSL with ACLs', () => {
  let orderId: string;

  it('runs the service end to end as orders-service, never printing its password', async () => {
    orderId = (await request(api.baseUrl, 'POST', '/api/orders', { body: orderDraft() })).body.id;
    await eventually(
      async () => (await db.query('SELECT 1 FROM order_timeline WHERE order_id = $1', [orderId])).length === 1,
      60_000,
      `the worker to consume the order over SASL_SSL\n${worker.output.slice(-3000)}`,
    );
    assert.match(worker.output, /events: Kafka 127\.0\.0\.1:\d+.* \(SASL_SSL SCRAM-SHA-512 as orders-service\)/);
    assert.ok(!worker.output.includes(secureListener.password('orders-service')), 'password in the output');
    matrix.push('orders-service: create/describe topics, write orders, read orders as orders-worker: allowed');
  });

  it('lets orders-service write dead letters', async () => {
    await cell('orders-service writes orders.DLT', 'allowed', () =>
      produce(secureClient('orders-service'), 'orders.DLT'),
    );
  });

  it('lets the read-only principal read orders with a group under its prefix, and nothing else', async () => {
    const reader = secureClient('orders-reader');
    await cell('orders-reader reads orders as group orders-reader.billing', 'allowed', () =>
      readKey(reader, 'orders', 'orders-reader.billing', orderId),
    );
    await cell('orders-reader writes orders', /not authorized|authorization/i, () => produce(reader, 'orders'));
    await cell('orders-reader reads orders.DLT', /not authorized|authorization/i, () =>
      readKey(reader, 'orders.DLT', 'orders-reader.billing', 'forged'),
    );
    // kafkajs reports the refused FindCoordinator (GROUP_AUTHORIZATION_FAILED) as "Failed to find group
    // coordinator"; the same client just joined a group under the prefix, so the group name is the difference.
    await cell(
      'orders-reader reads orders as group billing (outside its prefix)',
      /authoriz|find group coordinator/i,
      () => readKey(reader, 'orders', 'billing', orderId),
    );
  });

  it('refuses a wrong password, a client without SASL and a plaintext client', async () => {
    await cell('orders-reader with a wrong password', /SASL SCRAM SHA512 authentication failed/i, () =>
      connectAdmin(secureClient('orders-reader', { password: 'wrong' })),
    );
    // The broker hangs up on anything but a TLS handshake followed by SCRAM.
    await cell('anonymous TLS client (no SASL)', /Closed connection/, () =>
      connectAdmin(secureClient('orders-reader', { sasl: false })),
    );
    await cell('orders-reader with the right password but no TLS', /Closed connection/, () =>
      connectAdmin(secureClient('orders-reader', { tls: false })),
    );
    await cell('plaintext client (no TLS, no SASL)', /Closed connection/, () =>
      connectAdmin(secureClient('orders-reader', { tls: false, sasl: false })),
    );
  });
});
