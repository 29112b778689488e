import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Admin, Consumer, Kafka, KafkaMessage, logLevel, Partitioners } from 'kafkajs';
import { loadConfig } from '@app/config';
import { ensureTopics } from '@app/messaging';
import { orderEventStream } from '@app/orders';
import { eventually } from './eventually';

/** The broker that test/run-tests.mjs started with the project's launcher. */
export const kafkaBrokers = (process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:19192').split(',');

const kafka = new Kafka({ clientId: 'orders-tests', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });

export interface ReadRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  /** The value's raw bytes. */
  bytes: Buffer | null;
  headers: Record<string, string>;
}

function toRecord(partition: number, message: KafkaMessage): ReadRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    bytes: message.value,
    headers,
  };
}

/** Reads a topic from the beginning with a fresh group, as another team's service would. */
export class TopicReader {
  readonly records: ReadRecord[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(topic: string): Promise<TopicReader> {
    // The topics as the worker creates them, in case no worker has run on this broker yet.
    await withAdmin((admin) => ensureTopics(admin, orderEventStream, loadConfig({}).kafka));
    const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
    const reader = new TopicReader(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => void reader.records.push(toRecord(partition, message)),
    });
    return reader;
  }

  /** Waits until `predicate` holds for the records read so far. */
  async waitFor(predicate: (records: ReadRecord[]) => boolean, timeoutMs = 30_000): Promise<ReadRecord[]> {
    await eventually(() => predicate(this.records), timeoutMs, 'records on the topic');
    return this.records;
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

export async function produce(
  topic: string,
  messages: { key: string | null; value: string | Buffer | null; headers?: Record<string, string | Buffer> }[],
) {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    return await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

export async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the group has committed past `offset` on the partition, i.e. it is done with that record. */
export async function waitForCommit(groupId: string, topic: string, partition: number, offset: string): Promise<void> {
  await eventually(
    async () => {
      const [committed] = await withAdmin((admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
      const position = committed.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      return BigInt(position) > BigInt(offset);
    },
    30_000,
    `group ${groupId} to commit past ${topic}/${partition}@${offset}`,
  );
}

/**
 * Stops or starts the test brokers through the project's launcher (same environment as run-tests).
 * Asynchronous: stopping a cluster takes seconds, and an in-process server must keep answering
 * (a blocked event loop lets its idle keep-alive sockets expire under the client's feet).
 */
export async function broker(command: 'start' | 'stop'): Promise<void> {
  const launcher = spawn('bash', [resolve(__dirname, '../../../deploy/kafka/kafka.sh'), command], { stdio: 'inherit' });
  const [status] = (await once(launcher, 'exit')) as [number | null];
  if (status !== 0) throw new Error(`kafka.sh ${command} failed`);
}
