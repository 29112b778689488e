import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(__dirname, '../../..');
const compiled = resolve(__dirname, '../..');
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/** The package a bare specifier loads: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

describe('runtime dependencies', () => {
  it('declares every package the service loads at run time (a production install has nothing else)', () => {
    const missing = new Set<string>();
    for (const dir of ['apps', 'libs']) {
      for (const entry of readdirSync(join(compiled, dir), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
        const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
        for (const [, specifier] of source.matchAll(/require\("([^".][^"]*)"\)/g)) {
          const name = packageOf(specifier);
          if (specifier.startsWith('node:') || builtinModules.includes(name)) continue;
          if (!(name in dependencies)) missing.add(name);
        }
      }
    }
    assert.deepEqual([...missing], []);
  });
});
