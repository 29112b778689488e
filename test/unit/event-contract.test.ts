import { fromFile, Parser } from '@asyncapi/parser';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { Admin, ITopicConfig } from 'kafkajs';
import { loadConfig } from '@app/config';
import { ensureTopics } from '@app/messaging';
import { EVENT_SCHEMA_DIR, eventDataSchema, orderEventStream, ORDERS_WORKER_GROUP, OrderEventType } from '@app/orders';
import { EventContract } from '../support/event-contract';

const asyncApiPath = resolve(EVENT_SCHEMA_DIR, '..', 'asyncapi.yaml');
const JSON_SCHEMA_2020_12 = 'application/schema+json;version=2020-12';
// Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
const ERROR_OR_WARNING = 1;

async function parseAsyncApi() {
  const { document, diagnostics } = await fromFile(new Parser(), asyncApiPath).parse();
  assert.ok(document, JSON.stringify(diagnostics));
  return { document, diagnostics };
}

/** The topics exactly as the service creates them on an empty three-broker cluster. */
async function topicsTheServiceCreates(): Promise<ITopicConfig[]> {
  const created: ITopicConfig[] = [];
  const admin = {
    listTopics: () => Promise.resolve([]),
    describeCluster: () => Promise.resolve({ brokers: [1, 2, 3].map((nodeId) => ({ nodeId })) }),
    createTopics: ({ topics }: { topics: ITopicConfig[] }) => Promise.resolve(created.push(...topics) > 0),
  } as unknown as Admin;
  await ensureTopics(admin, orderEventStream, loadConfig({}).kafka);
  return created;
}

describe('AsyncAPI document (docs/asyncapi.yaml)', () => {
  it('parses with no error or warning and describes every event type on both topics', async (t) => {
    const { document, diagnostics } = await parseAsyncApi();
    t.diagnostic(`AsyncAPI ${document.version()}: ${diagnostics.length} diagnostics`);
    assert.deepEqual(
      diagnostics.filter((d) => d.severity <= ERROR_OR_WARNING).map((d) => `${d.code}: ${d.message}`),
      [],
    );
    const names = document
      .messages()
      .all()
      .map((message) => message.name());
    for (const type of Object.values(OrderEventType)) assert.ok(names.includes(type), `documents ${type}`);
    const addresses = document
      .channels()
      .all()
      .map((channel) => channel.address());
    assert.deepEqual(addresses.sort(), ['orders', 'orders.DLT']);
  });

  it('declares headers and payloads as titled JSON Schema 2020-12, keyed by the order id', async () => {
    const { document } = await parseAsyncApi();
    for (const message of document.messages().all()) {
      const headers = message.headers()!.json() as { schemaFormat?: string; schema?: { title?: string } };
      assert.equal(headers.schemaFormat, JSON_SCHEMA_2020_12, `${message.name()} headers`);
      assert.ok(headers.schema?.title, `${message.name()} headers have a title`);
      const key = message.bindings().get('kafka')?.value<{ key: { type: string; title?: string } }>().key;
      assert.equal(key?.type, 'string', `${message.name()} key`);
      assert.ok(key?.title, `${message.name()} key has a title`);
      if (message.name() === 'ORDER_EVENT_DEAD_LETTER') continue; // its payload is arbitrary bytes
      const payload = message.payload()!.json() as { schemaFormat?: string; schema?: { title?: string } };
      assert.equal(payload.schemaFormat, JSON_SCHEMA_2020_12, `${message.name()} payload`);
      assert.ok(payload.schema?.title, `${message.name()} payload has a title`);
    }
  });

  it('has Kafka bindings that match the topics, consumer group and client id the service uses', async () => {
    const { document } = await parseAsyncApi();
    const created = await topicsTheServiceCreates();
    assert.equal(created.length, 2);
    for (const topic of created) {
      const channel = document
        .channels()
        .all()
        .find((c) => c.address() === topic.topic);
      const binding = channel?.bindings().get('kafka')?.value<{
        topic: string;
        partitions: number;
        topicConfiguration: Record<string, unknown>;
      }>();
      assert.ok(binding, `${topic.topic} has a Kafka binding`);
      assert.equal(binding.topic, topic.topic);
      assert.equal(binding.partitions, topic.numPartitions);
      for (const { name, value } of topic.configEntries ?? [])
        assert.equal(String(binding.topicConfiguration[name]), value, `${topic.topic} ${name}`);
    }
    const consume = document.operations().get('consumeOrderEvents')!.bindings().get('kafka');
    const groupId = consume?.value<{ groupId: { const: string } }>().groupId;
    assert.equal(groupId?.const, ORDERS_WORKER_GROUP);
    for (const operation of document.operations().all()) {
      const clientId = operation.bindings().get('kafka')?.value<{ clientId: { default: string } }>().clientId;
      assert.equal(clientId?.default, loadConfig({}).kafka.clientId, `${operation.id()} clientId`);
    }
  });

  it('has examples whose headers and values satisfy the schemas their ce_dataschema names', async () => {
    const { document } = await parseAsyncApi();
    const contract = new EventContract();
    let checked = 0;
    for (const message of document.messages().all()) {
      if (message.name() === 'ORDER_EVENT_DEAD_LETTER') continue; // its example shows a value that broke the schema
      for (const example of message.examples().all()) {
        const headers = example.headers() as Record<string, string>;
        assert.equal(headers.ce_dataschema, eventDataSchema(message.name() as OrderEventType));
        checked += await contract.assertValid([{ headers, value: JSON.stringify(example.payload()) }]);
      }
    }
    assert.ok(checked >= Object.values(OrderEventType).length);
  });
});
