import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { withAdmin } from './kafka';

/**
 * The cluster test/run-tests.mjs started (KAFKA_NODES brokers, a SASL_SSL listener), driven
 * through the project's launcher with the same environment.
 */
export const clusterNodes = Number(process.env.KAFKA_NODES ?? 1);
const stateDir = process.env.KAFKA_HOME_DIR ?? resolve(__dirname, '../../../.kafka/test-cluster');

/**
 * Starts, stops (SIGTERM) or kills (SIGKILL) one node of the cluster. Asynchronous, so an in-process
 * API keeps taking orders while a node starts.
 */
export async function clusterNode(command: 'start-node' | 'stop-node' | 'kill-node', node: number): Promise<void> {
  const launcher = spawn('bash', [resolve(__dirname, '../../../deploy/kafka/kafka.sh'), command, String(node)], {
    stdio: 'inherit',
  });
  const [status] = (await once(launcher, 'exit')) as [number | null];
  if (status !== 0) throw new Error(`kafka.sh ${command} ${node} failed`);
}

export interface PartitionState {
  partition: number;
  leader: number;
  isr: number[];
}

export async function partitionStates(topic: string): Promise<PartitionState[]> {
  const { topics } = await withAdmin((admin) => admin.fetchTopicMetadata({ topics: [topic] }));
  return topics[0].partitions
    .map(({ partitionId, leader, isr }) => ({ partition: partitionId, leader, isr: [...isr].sort() }))
    .sort((a, b) => a.partition - b.partition);
}

/** The SASL_SSL listener and what kafka.sh made for it: CA certificate and one password per user. */
export const secureListener = {
  brokers: (process.env.TEST_KAFKA_SASL_BROKERS ?? '').split(',').filter(Boolean),
  caFile: join(stateDir, 'tls', 'ca.pem'),
  passwordFile: (user: string) => join(stateDir, 'secrets', `${user}.password`),
  password: (user: string) => readFileSync(join(stateDir, 'secrets', `${user}.password`), 'utf8').trim(),
};

/** A client of the SASL_SSL listener, as another team would configure one. */
export function secureClient(user: string, options: { password?: string; tls?: boolean; sasl?: boolean } = {}): Kafka {
  const { password = secureListener.password(user), tls = true, sasl = true } = options;
  return new Kafka({
    clientId: `test-${user}`,
    brokers: secureListener.brokers,
    ssl: tls ? { ca: [readFileSync(secureListener.caFile, 'utf8')] } : false,
    sasl: sasl ? { mechanism: 'scram-sha-512', username: user, password } : undefined,
    connectionTimeout: 3_000,
    requestTimeout: 5_000,
    retry: { retries: 1, initialRetryTime: 100 },
    logLevel: logLevel.NOTHING,
  });
}
