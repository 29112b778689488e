import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIfMatch } from '../../apps/orders/src/api/if-match';

describe('If-Match', () => {
  it('accepts any version for *', () => {
    assert.deepEqual(parseIfMatch(' * '), { any: true });
  });

  it('names the versions of the strong tags in a list, skipping weak and foreign ones', () => {
    assert.deepEqual(parseIfMatch('"3"'), { any: false, versions: [3] });
    assert.deepEqual(parseIfMatch('"2", "3"'), { any: false, versions: [2, 3] });
    assert.deepEqual(parseIfMatch('W/"2",\t"4" ,, "x,y", "0", "01"'), { any: false, versions: [4] });
    assert.deepEqual(parseIfMatch('W/"2"'), { any: false, versions: [] });
  });

  it('refuses what is not a list of entity tags', () => {
    for (const header of ['3', '"3" "4"', '"3', '*, "3"', 'w/"3"', '"a"b']) {
      assert.equal(parseIfMatch(header), undefined, header);
    }
  });
});
