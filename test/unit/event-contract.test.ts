import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fromFile, Parser } from '@asyncapi/parser';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import {
  EVENT_SCHEMA_DIR,
  loadEventValidators,
  OrderEventType,
  OrderStatus,
  placeOrder,
  toKafkaMessage,
  transitionOrder,
} from '@app/orders';

const asyncApiPath = resolve(EVENT_SCHEMA_DIR, '..', 'asyncapi.yaml');
const schemaBase = 'https://orders.example/schemas/events/';

function strictAjv() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  for (const file of readdirSync(EVENT_SCHEMA_DIR).filter((name) => name.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(EVENT_SCHEMA_DIR, file), 'utf8')));
  }
  return ajv;
}

describe('event contract (docs/)', () => {
  it('has an AsyncAPI document that parses without errors and describes every event type', async () => {
    const { document, diagnostics } = await fromFile(new Parser(), asyncApiPath).parse();
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === 0).map((d) => d.message),
      [],
    );
    assert.ok(document);
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

  it('has examples in the AsyncAPI document that satisfy the schemas', async () => {
    const { document } = await fromFile(new Parser(), asyncApiPath).parse();
    const ajv = strictAjv();
    const validateHeaders = ajv.getSchema(`${schemaBase}headers.schema.json`)!;
    let checked = 0;
    for (const message of document!.messages().all()) {
      const validatePayload = ajv.getSchema(`${schemaBase}${message.name()}.schema.json`);
      if (!validatePayload) continue; // the dead-letter message carries arbitrary bytes
      for (const example of message.examples().all()) {
        assert.ok(
          validatePayload(example.payload()),
          `${message.name()} example: ${JSON.stringify(validatePayload.errors)}`,
        );
        assert.ok(
          validateHeaders(example.headers()),
          `${message.name()} headers: ${JSON.stringify(validateHeaders.errors)}`,
        );
        checked++;
      }
    }
    assert.ok(checked >= Object.values(OrderEventType).length);
  });

  it('validates what the system actually publishes, and rejects what breaks the contract', () => {
    const validators = loadEventValidators();
    const ajv = strictAjv();
    const validateHeaders = ajv.getSchema(`${schemaBase}headers.schema.json`)!;
    const draft = {
      customerId: 'c-1',
      currency: 'EUR',
      lines: [{ sku: 'A', name: 'A', quantity: 2, unitPrice: 150 }],
      shippingAddress: { recipient: 'R', line1: 'L', city: 'C', postalCode: 'P', country: 'GB' },
    };
    const placed = placeOrder('019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80', draft, new Date());
    const confirmed = transitionOrder(placed.order, OrderStatus.CONFIRMED, new Date());
    for (const change of [placed, confirmed]) {
      const message = toKafkaMessage({
        id: '1',
        eventId: '019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f81',
        key: change.order.id,
        type: change.eventType,
        payload: { orderId: change.order.id, previousStatus: change.previousStatus, order: change.order },
        correlationId: 'req-1',
        createdAt: new Date(),
      });
      const value = JSON.parse(message.value);
      assert.ok(validators[change.eventType](value), JSON.stringify(validators[change.eventType].errors));
      assert.ok(validateHeaders(message.headers), JSON.stringify(validateHeaders.errors));
    }
    const shipped = JSON.parse(
      JSON.stringify({ orderId: placed.order.id, previousStatus: 'PLACED', order: placed.order }),
    );
    assert.equal(validators.ORDER_SHIPPED(shipped), false);
  });
});
