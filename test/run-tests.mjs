// Runs every suite against real services and prints the totals as "N passed, N failed".
// PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); each suite
// makes its own database. Redis: TEST_REDIS_URL (default redis://127.0.0.1:6379). Kafka: a fresh
// broker from deploy/kafka on ports 19092/19093, so a broker on 9092 for development is left alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const compiled = join(root, 'dist', 'test');

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

const suites = process.argv.slice(2);
const files = (suites.length ? suites : ['unit', 'e2e']).flatMap((suite) => testFiles(join(compiled, suite)));

// The tests stop and start this broker themselves, through the same launcher and environment.
const kafkaEnv = {
  KAFKA_PORT: '19092',
  KAFKA_CONTROLLER_PORT: '19093',
  KAFKA_HOME_DIR: join(root, '.kafka', 'test'),
  KAFKA_LIB_DIR: join(root, '.kafka', 'lib'),
};
const launcher = (command) =>
  spawnSync('bash', [join(root, 'deploy/kafka/kafka.sh'), command], {
    stdio: 'inherit',
    env: { ...process.env, ...kafkaEnv },
  });
launcher('stop');
launcher('reset');
if (launcher('start').status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// Each suite adds how many of its HTTP responses it checked against the OpenAPI document.
const tallyDir = mkdtempSync(join(tmpdir(), 'orders-contract-'));
const tallyFile = join(tallyDir, 'tally');

// Spec output for people on stderr; TAP on stdout for the totals. Both go to pipes, which Node
// writes synchronously, so --test-force-exit (kafkajs can leave idle sockets behind) loses nothing.
const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-force-exit',
    '--test-timeout=180000',
    '--test-reporter=spec',
    '--test-reporter-destination=stderr',
    '--test-reporter=tap',
    '--test-reporter-destination=stdout',
    ...files,
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: {
      ...process.env,
      ...kafkaEnv,
      TEST_KAFKA_BROKERS: `127.0.0.1:${kafkaEnv.KAFKA_PORT}`,
      OPENAPI_CONTRACT_TALLY: tallyFile,
    },
  },
);
launcher('stop');

let tally = '';
try {
  tally = readFileSync(tallyFile, 'utf8');
} catch {
  // no suite made an HTTP request
}
rmSync(tallyDir, { recursive: true, force: true });
const [validated, outside] = tally
  .split('\n')
  .filter(Boolean)
  .reduce(([v, o], line) => [v + Number(line.split(' ')[0]), o + Number(line.split(' ')[1])], [0, 0]);
console.log(`${validated} HTTP responses matched the OpenAPI document (${outside} from routes outside it)`);

const tap = run.stdout ?? '';
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
const passed = count('pass');
// A runner that died before printing its totals still counts as a failure.
const failed = count('fail') + count('cancelled') || (run.status === 0 && passed > 0 ? 0 : 1);
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
