// `npm run bench -- startup`: seconds from launching a process to its first 200 from /health/ready.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { withAuthDefaults } from '../support/auth-env';
import { freePort } from '../support/free-port';
import { RedisServer } from '../support/redis-server';
import { TestDatabase } from '../support/test-database';

const root = resolve(__dirname, '../../..');
const RUNS = 3;

/** Launches `command` in its own process group and times it to ready; then stops the whole group. */
async function timeToReady(command: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(command[0], command.slice(1), {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(port), ...withAuthDefaults(env) },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}`);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
      if (ready?.status === 200) return (performance.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  }
}

async function series(times: () => Promise<number>): Promise<number[]> {
  const results: number[] = [];
  for (let run = 0; run < RUNS; run++) results.push(await times());
  return results;
}

const row = (scenario: string, seconds: number[]) => {
  const sorted = [...seconds].sort((a, b) => a - b);
  return `| ${scenario} | ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s | ${sorted.map((s) => s.toFixed(2)).join(', ')} |`;
};

export async function startupBench(kafkaBrokers: string): Promise<string> {
  const node = [process.execPath, 'dist/apps/orders/src/main.js'];
  const npmStart = ['npm', 'start', '--silent'];
  const lines = ['| start-up to the first 200 from /health/ready | median | runs |', '| --- | --- | --- |'];

  const fresh = await series(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'orders-startup-'));
    try {
      return await timeToReady(npmStart, { DATA_DIR: dataDir });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
  lines.push(row('`npm start`, embedded, new data directory', fresh));

  const dataDir = mkdtempSync(join(tmpdir(), 'orders-startup-'));
  try {
    await timeToReady(node, { DATA_DIR: dataDir });
    lines.push(
      row(
        '`npm start`, embedded, warm (existing data)',
        await series(() => timeToReady(npmStart, { DATA_DIR: dataDir })),
      ),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const db = await TestDatabase.create();
  const redis = await RedisServer.start();
  try {
    const services = { DATABASE_URL: db.url, REDIS_URL: redis.url, KAFKA_BROKERS: kafkaBrokers };
    await timeToReady(node, { ...services, ROLES: 'api' }); // applies the migrations once
    lines.push(
      row('API process (PostgreSQL, Redis)', await series(() => timeToReady(node, { ...services, ROLES: 'api' }))),
    );
    lines.push(
      row(
        'worker process (PostgreSQL, Kafka)',
        await series(() => timeToReady(node, { ...services, ROLES: 'worker' })),
      ),
    );
  } finally {
    await redis.kill();
    await db.drop();
  }
  return lines.join('\n');
}

// Keeps the build out of the timings: `npm start` finds it up to date.
export function ensureBuilt(): void {
  spawnSync('node', ['scripts/build-if-stale.mjs'], { cwd: root, stdio: 'inherit' });
}
