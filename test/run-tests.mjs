// Runs the suites against real services and prints the totals as "N passed, N failed".
//   node test/run-tests.mjs                    every suite (unit, then e2e)
//   node test/run-tests.mjs unit e2e/kafka-security.test.js e2e/broker-failover
//                                              some of them: folders or files under dist/test
// PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); each suite
// makes its own database. Redis: TEST_REDIS_URL (default redis://127.0.0.1:6379). Kafka, when an
// e2e suite runs: one fresh three-node cluster from deploy/kafka with a SASL_SSL listener, shared by
// every suite. Node n listens on TEST_KAFKA_PORT + 10 (n - 1) (PLAINTEXT; default 19192), the next
// port (controller) and the one after (SASL_SSL), so a broker on 9092 for development is left alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const compiled = join(root, 'dist', 'test');

function testFiles(path) {
  if (!existsSync(path) && existsSync(`${path}.test.js`)) return [`${path}.test.js`];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.js'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

const selected = process.argv.slice(2);
const files = (selected.length ? selected : ['unit', 'e2e']).flatMap((suite) => testFiles(join(compiled, suite)));
const needsKafka = files.some((file) => file.startsWith(join(compiled, 'e2e')));

// The tests stop, kill and start these brokers themselves, through the same launcher and environment.
const nodes = 3;
const basePort = Number(process.env.TEST_KAFKA_PORT ?? 19192);
const ports = (offset) => Array.from({ length: nodes }, (_, i) => `127.0.0.1:${basePort + 10 * i + offset}`);
const kafkaEnv = {
  KAFKA_NODES: String(nodes),
  KAFKA_PORT: String(basePort),
  KAFKA_CONTROLLER_PORT: String(basePort + 1),
  KAFKA_SASL_SSL: '1',
  KAFKA_SASL_SSL_PORT: String(basePort + 2),
  KAFKA_NODE_PORT_STEP: '10',
  KAFKA_HOME_DIR: process.env.TEST_KAFKA_HOME_DIR ?? join(root, '.kafka', 'test-cluster'),
  KAFKA_LIB_DIR: process.env.KAFKA_LIB_DIR ?? join(root, '.kafka', 'lib'),
  TEST_KAFKA_BROKERS: ports(0).join(','),
  TEST_KAFKA_SASL_BROKERS: ports(2).join(','),
};
const launcher = (command) =>
  spawnSync('bash', [join(root, 'deploy/kafka/kafka.sh'), command], {
    stdio: 'inherit',
    env: { ...process.env, ...kafkaEnv },
  });
if (needsKafka) {
  launcher('stop');
  launcher('reset');
  if (launcher('start').status !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

// Each suite adds how many of its HTTP responses it checked against the OpenAPI document.
const tallyDir = mkdtempSync(join(tmpdir(), 'orders-contract-'));
const tallyFile = join(tallyDir, 'tally');

// Spec output for people on stderr; TAP on stdout for the totals. Both go to pipes, which Node
// writes synchronously, so --test-force-exit (kafkajs can leave idle sockets behind) loses nothing.
// One file at a time: the suites share the cluster, and some of them kill its brokers.
const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-force-exit',
    '--test-concurrency=1',
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
    env: { ...process.env, ...kafkaEnv, OPENAPI_CONTRACT_TALLY: tallyFile },
  },
);
if (needsKafka) launcher('stop');

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
