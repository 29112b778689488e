import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { request } from '../support/http';
import { apiDocument } from '../support/openapi-document';
import { startTestApp, TestApp } from '../support/test-app';
import { TestDatabase } from '../support/test-database';

const root = join(__dirname, '..', '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

let db: TestDatabase;
let api: TestApp;
let scratch: string;
let documentFile: string;

before(async () => {
  db = await TestDatabase.create();
  api = await startTestApp({ DATABASE_URL: db.url });
  scratch = mkdtempSync(join(tmpdir(), 'orders-openapi-'));
  documentFile = join(scratch, 'openapi.json');
  writeFileSync(documentFile, JSON.stringify(await apiDocument(), null, 2));
});

after(async () => {
  await api?.close();
  await db?.drop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const run = (command: string, args: string[]) => spawnSync(command, args, { cwd: root, encoding: 'utf8' });

describe('the OpenAPI document', () => {
  it('is the document the running API serves', async () => {
    const served = await request(api.baseUrl, 'GET', '/docs/openapi.json');
    assert.equal(served.status, 200);
    assert.deepEqual(served.body, JSON.parse(JSON.stringify(await apiDocument())));
  });

  it('passes Redocly (recommended rules) with no error or warning', () => {
    const lint = run(bin('redocly'), ['lint', documentFile, '--config', 'redocly.yaml', '--format=json']);
    const report = JSON.parse(lint.stdout) as { totals: { errors: number; warnings: number }; problems: unknown[] };
    console.log(`redocly: ${report.totals.errors} errors, ${report.totals.warnings} warnings`);
    assert.deepEqual(report.problems, []);
    assert.equal(lint.status, 0, lint.stderr);
  });

  it('passes Spectral (spectral:oas) with no error', () => {
    const lint = run(bin('spectral'), ['lint', documentFile, '--ruleset', '.spectral.yaml', '-f', 'json', '-q']);
    const results = JSON.parse(lint.stdout || '[]') as { severity: number; code: string; message: string }[];
    const count = (severity: number) => results.filter((result) => result.severity === severity).length;
    console.log(`spectral: ${count(0)} errors, ${count(1)} warnings`);
    assert.deepEqual(
      results.filter((result) => result.severity === 0),
      [],
    );
    assert.equal(lint.status, 0, lint.stderr);
  });
});

describe('a client generated from the document', () => {
  it('compiles and takes an order through its whole lifecycle', async () => {
    // Inside the project, so the generated code resolves openapi-fetch from its node_modules.
    const dir = join(root, 'dist', 'generated-client');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const sources = join(root, 'test', 'generated-client');
    const generate = run(bin('openapi-typescript'), [documentFile, '--output', join(dir, 'api.d.ts')]);
    assert.equal(generate.status, 0, generate.stderr);
    for (const file of ['order-lifecycle.ts', 'tsconfig.json']) copyFileSync(join(sources, file), join(dir, file));

    const config = ts.getParsedCommandLineOfConfigFile(
      join(dir, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) =>
          assert.fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
      },
    )!;
    const program = ts.createProgram(config.fileNames, { ...config.options, outDir: dir, noEmit: false });
    const emitted = program.emit();
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((diagnostic) =>
      ts.formatDiagnostic(diagnostic, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => dir,
        getNewLine: () => '\n',
      }),
    );
    assert.deepEqual(diagnostics, []);

    const { runOrderLifecycle } = (await import(pathToFileURL(join(dir, 'order-lifecycle.js')).href)) as {
      runOrderLifecycle(baseUrl: string): Promise<string[]>;
    };
    assert.deepEqual(await runOrderLifecycle(api.baseUrl), [
      'placed',
      'not modified',
      'revised',
      'patched',
      'CONFIRMED',
      'SHIPPED',
      'DELIVERED',
      'listed',
    ]);
  });
});
