import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EVENT_SCHEMA_DIR } from '@app/orders';
import { type Operation, operationsOf, type Schema } from '../support/fuzz/openapi';
import { orderDraft, request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

let db: TestDatabase;
let api: TestApp;

before(async () => {
  db = await TestDatabase.create();
  api = await startTestApp({ DATABASE_URL: db.url });
});

after(async () => {
  await api?.close();
  await db?.drop();
});

type Json = Record<string, any>;
type FieldPath = (string | number)[];

/** Every optional field filled in, so the walk meets each one. */
const fullDraft = (): Json =>
  orderDraft({
    notes: 'Leave at the reception',
    shippingAddress: { ...orderDraft().shippingAddress, line2: 'Flat 3', region: 'Greater London' },
  });
const { customerId: _customer, currency: _currency, ...fullRevision } = fullDraft();

/**
 * Optional in the document because a customer's token implies it, required of everyone else: this
 * suite runs without authentication, as an administrator, so the server asks for it. Every order
 * has one, so events always carry it.
 */
const requiredOfStaff = (path: FieldPath) => path.at(-1) === 'customerId';

/** How the server names a field in its errors: lines[0].sku, shippingAddress.city. */
const display = (path: FieldPath) =>
  path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${key}` : key), '');

/** Allof-wrapped references (a $ref beside a description) flattened into one schema. */
const flatten = (schema: Schema & { allOf?: Schema[] }): Schema =>
  schema.allOf ? Object.assign({}, ...schema.allOf.map(flatten), { ...schema, allOf: undefined }) : schema;

/** Each property of the sample body with its path and whether the schema requires it. */
function* fieldsOf(
  schema: Schema,
  value: unknown,
  path: FieldPath = [],
): Generator<{ path: FieldPath; required: boolean }> {
  const flat = flatten(schema);
  if (Array.isArray(value) && flat.items) {
    yield* fieldsOf(flat.items, value[0], [...path, 0]);
    return;
  }
  if (!flat.properties || typeof value !== 'object' || value === null) return;
  for (const [key, propertySchema] of Object.entries(flat.properties)) {
    assert.ok(key in value, `the sample body at ${display(path) || '(root)'} has ${key}`);
    yield { path: [...path, key], required: (flat.required ?? []).includes(key) };
    yield* fieldsOf(propertySchema, (value as Json)[key], [...path, key]);
  }
}

function without(body: Json, path: FieldPath): Json {
  const copy = structuredClone(body);
  const parent = path.slice(0, -1).reduce<Json>((node, key) => node[key], copy);
  delete parent[path.at(-1)!];
  return copy;
}

/** The JSON Schema the events publish for a field of the order (docs/events, local $defs resolved). */
const eventDataSchema: Json = JSON.parse(readFileSync(join(EVENT_SCHEMA_DIR, 'order-event-data.schema.json'), 'utf8'));

function eventSchemaAt(path: FieldPath): { required: boolean; nullable: boolean } {
  const file = eventDataSchema;
  const resolve = (schema: Json): Json =>
    schema.$ref?.startsWith('#/$defs/') ? resolve(file.$defs[schema.$ref.slice('#/$defs/'.length)]) : schema;
  let parent: Json = resolve(file.properties.order);
  let required = true;
  for (const [i, key] of path.entries()) {
    if (typeof key === 'number') continue;
    required = (parent.required ?? []).includes(key);
    const property = parent.properties?.[key];
    assert.ok(property, `the event schema documents order.${display(path.slice(0, i + 1))}`);
    parent = resolve(property);
    if (parent.type === 'array') parent = resolve(parent.items);
  }
  const types = [parent.type].flat();
  const nullable = types.includes('null') || (parent.anyOf ?? []).some((s: Json) => resolve(s).type === 'null');
  return { required, nullable };
}

describe('required fields', () => {
  it('are the same in validation, the OpenAPI document and the event schema, for every order body', async (t) => {
    const doc = (await request(api.baseUrl, 'GET', '/docs/openapi.json')).body;
    const order = (await request(api.baseUrl, 'POST', '/api/orders', { body: fullDraft() })).body;
    const bodies: Record<string, { sample: Json; path: string; eventPathOf: (path: FieldPath) => FieldPath }> = {
      'POST /api/orders': { sample: fullDraft(), path: '/api/orders', eventPathOf: (p) => p },
      'PUT /api/orders/{id}': { sample: fullRevision, path: `/api/orders/${order.id}`, eventPathOf: (p) => p },
      'POST /api/orders/bulk': {
        sample: { orders: [fullDraft()] },
        path: '/api/orders/bulk',
        eventPathOf: (p) => p.slice(2),
      },
    };
    const operations = operationsOf(doc).filter((op): op is Operation & { body: object } => Boolean(op.body));
    assert.deepEqual(operations.map((op) => `${op.method} ${op.path}`).sort(), Object.keys(bodies).sort());

    let checked = 0;
    for (const op of operations) {
      const { sample, path, eventPathOf } = bodies[`${op.method} ${op.path}`];
      for (const field of fieldsOf(op.body!.schema, sample)) {
        const name = display(field.path);
        const res = await request(api.baseUrl, op.method, path, { body: without(sample, field.path) });
        const where = `${op.method} ${op.path} without ${name}`;
        if (field.required || requiredOfStaff(field.path)) {
          assert.equal(res.status, 400, where);
          assert.deepEqual(res.body.errors, [{ field: name, message: `${name} is required` }], where);
        } else {
          assert.ok(res.status === 200 || res.status === 201, `${where}: ${res.status} ${JSON.stringify(res.body)}`);
        }
        const eventPath = eventPathOf(field.path);
        if (eventPath.length > 0) {
          const event = eventSchemaAt(eventPath);
          if (field.required || requiredOfStaff(field.path))
            assert.ok(event.required && !event.nullable, `events require order.${display(eventPath)}`);
          else assert.ok(!event.required || event.nullable, `events let order.${display(eventPath)} be absent or null`);
        }
        checked++;
      }
    }
    assert.ok(checked >= 30, `walked ${checked} fields`);
    t.diagnostic(`${checked} fields walked in ${operations.length} request bodies`);
  });
});
