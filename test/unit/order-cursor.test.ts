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
});
