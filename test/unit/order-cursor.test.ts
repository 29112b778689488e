import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidCursorError, OrderCursor } from '@app/orders';

describe('order cursor', () => {
  it('round-trips the keyset position', () => {
    const position = { createdAt: new Date('2026-03-04T05:06:07.089Z'), id: '019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80' };
    assert.deepEqual(OrderCursor.decode(OrderCursor.encode(position)), position);
  });

  it('rejects anything it did not produce', () => {
    for (const bad of [
      'garbage',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('["x","y"]').toString('base64url'),
    ]) {
      assert.throws(() => OrderCursor.decode(bad), InvalidCursorError);
    }
  });

  it('requires an id PostgreSQL reads as a uuid and an instant in the years 1 to 9999', () => {
    const forge = (createdAt: unknown, id: unknown) =>
      Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
    const id = '019ab8f2-6c1e-7d3a-9f10-2b4c5d6e7f80';
    for (const bad of [
      forge('2026-01-01T00:00:00Z', '-'.repeat(36)),
      forge('2026-01-01T00:00:00Z', '0'.repeat(36)),
      forge('2026-01-01T00:00:00Z', `${id.slice(0, 35)}g`),
      forge('-271821-04-20T00:00:00Z', id),
      forge('0000-12-31T23:59:59.999Z', id),
      forge('+010000-01-01T00:00:00Z', id),
      forge(0, id),
      forge('2026-01-01T00:00:00Z', 1),
    ]) {
      assert.throws(() => OrderCursor.decode(bad), InvalidCursorError);
    }
    for (const edge of ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
      assert.equal(OrderCursor.decode(forge(edge, id)).createdAt.toISOString(), edge);
    }
  });
});
