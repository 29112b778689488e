import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deserializeEntry, serializeEntry } from '@app/cache';

const roundTrip = (data: { value?: unknown; expires?: number }) =>
  deserializeEntry(serializeEntry(data) as string) as { value?: unknown; expires?: number };

describe('cache entries in the store', () => {
  it('keep a string as it is after its expiry, whatever it holds', () => {
    const value = '3f2a\n{"note":"a: b","lines":[1,2]}';
    assert.equal(serializeEntry({ value, expires: 1_795_000_000_000 }), `s1795000000000:${value}`);
    assert.deepEqual(roundTrip({ value, expires: 1_795_000_000_000 }), { value, expires: 1_795_000_000_000 });
    assert.deepEqual(roundTrip({ value: '', expires: undefined }), { value: '', expires: undefined });
  });

  it("keep any other value in Keyv's own format", () => {
    const stored = serializeEntry({ value: { count: 2 }, expires: 5 }) as string;
    assert.ok(stored.startsWith('{'), stored);
    assert.deepEqual(roundTrip({ value: { count: 2 }, expires: 5 }), { value: { count: 2 }, expires: 5 });
  });
});
