import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import {
  EVENT_SCHEMA_DIR,
  eventDataSchema,
  loadEventValidators,
  OrderChange,
  OrderStatus,
  placeOrder,
  toKafkaMessage,
  transitionOrder,
} from '@app/orders';
import { EventContract } from '../support/event-contract';

type Schema = { [keyword: string]: unknown };
type Located = { file: string; path: string[]; node: Schema };

const files = readdirSync(EVENT_SCHEMA_DIR).filter((name) => name.endsWith('.schema.json'));
const schemas = new Map(files.map((file) => [file, JSON.parse(readFileSync(join(EVENT_SCHEMA_DIR, file), 'utf8'))]));
const MONEY_AND_VERSIONS = ['totalAmount', 'unitPrice', 'lineTotal', 'version'];
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/** Every object in every schema file, with where it is. */
function* walk(node: unknown, file: string, path: string[] = []): Generator<Located> {
  if (typeof node !== 'object' || node === null) return;
  if (!Array.isArray(node)) yield { file, path, node: node as Schema };
  for (const [key, child] of Object.entries(node)) yield* walk(child, file, [...path, key]);
}
const everyNode = () => [...schemas].flatMap(([file, schema]) => [...walk(schema, file)]);

/** Follows a $ref the way the files mean it: relative to the file that holds it. */
function deref({ file, node }: Located): Schema {
  if (typeof node.$ref !== 'string') return node;
  const [target, pointer = ''] = node.$ref.split('#');
  const targetFile = target ? basename(target) : file;
  let found: unknown = schemas.get(targetFile);
  for (const key of pointer.split('/').filter(Boolean)) found = (found as Schema)[key];
  assert.ok(found, `${file}: ${node.$ref} resolves`);
  return deref({ file: targetFile, path: [], node: found as Schema });
}

const draft = (unitPrice: number) => ({
  customerId: 'c-1',
  currency: 'EUR',
  lines: [{ sku: 'A', name: 'A', quantity: 1, unitPrice }],
  shippingAddress: { recipient: 'R', line1: 'L', city: 'C', postalCode: 'P', country: 'GB' },
});
const recordOf = (change: OrderChange) =>
  toKafkaMessage({
    id: '1',
    eventId: '019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f81',
    key: change.order.id,
    type: change.eventType,
    payload: { orderId: change.order.id, previousStatus: change.previousStatus, order: change.order },
    correlationId: 'req-1',
    createdAt: new Date(),
  });

describe('event schemas (docs/events)', () => {
  it('give every file and every $defs entry a title, so generated models have names', () => {
    assert.ok(files.length >= 8);
    for (const [file, schema] of schemas) {
      assert.ok(typeof schema.title === 'string' && schema.title.length > 0, `${file} has a title`);
      assert.equal(schema.$id, undefined, `${file} has no $id: its $refs resolve against where it is loaded from`);
      for (const [name, def] of Object.entries((schema.$defs ?? {}) as Record<string, Schema>))
        assert.ok(typeof def.title === 'string' && def.title.length > 0, `${file} $defs/${name} has a title`);
    }
  });

  it('declare every integer with a format, money and versions as int64', () => {
    const integers = everyNode().filter(({ node }) => node.type === 'integer');
    assert.ok(integers.length >= 8);
    for (const { file, path, node } of integers) {
      const where = `${file} ${path.join('/')}`;
      assert.ok(node.format === 'int64' || node.format === 'int32', `${where} has format int32 or int64`);
      if (node.format === 'int32')
        assert.ok(
          (node.minimum as number) >= INT32.min && (node.maximum as number) <= INT32.max,
          `${where} fits int32`,
        );
    }
    // The named properties, wherever declared or narrowed (a bare `const` narrowing declares no type).
    const seen = new Set<string>();
    for (const located of everyNode()) {
      const name = located.path.at(-1)!;
      if (located.path.at(-2) !== 'properties' || !MONEY_AND_VERSIONS.includes(name)) continue;
      const schema = deref(located);
      if (schema.type === undefined && schema.$ref === undefined) continue;
      assert.deepEqual([schema.type, schema.format], ['integer', 'int64'], `${located.file} ${located.path.join('/')}`);
      seen.add(name);
    }
    assert.deepEqual([...seen].sort(), [...MONEY_AND_VERSIONS].sort());
  });

  it('accept what the service publishes, amounts beyond 32 bits included, loaded as a consumer loads them', async () => {
    const validators = loadEventValidators();
    const contract = new EventContract();
    const placed = placeOrder('019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80', draft(2_500_000_000), new Date());
    assert.equal(placed.order.totalAmount, 2_500_000_000);
    const confirmed = transitionOrder(placed.order, OrderStatus.CONFIRMED, new Date());
    for (const change of [placed, confirmed]) {
      const record = recordOf(change);
      assert.equal(record.headers.ce_dataschema, eventDataSchema(change.eventType));
      assert.equal(await contract.assertValid([record]), 1);
      const value = JSON.parse(record.value);
      assert.ok(validators[change.eventType](value), JSON.stringify(validators[change.eventType].errors));
    }
  });

  it('reject what breaks the contract', async () => {
    const validators = loadEventValidators();
    const contract = new EventContract();
    const placed = placeOrder('019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80', draft(150), new Date());
    const value = JSON.parse(recordOf(placed).value);
    assert.equal(validators.ORDER_SHIPPED({ ...value, previousStatus: 'PLACED' }), false);
    const fractional = { ...value, order: { ...value.order, totalAmount: 150.5 } };
    assert.equal(validators.ORDER_PLACED(fractional), false);
    const validateHeaders = await contract.validator('headers.schema.json');
    const { ce_dataschema: _dataschema, ...withoutDataSchema } = recordOf(placed).headers;
    assert.equal(validateHeaders(withoutDataSchema), false);
  });
});
