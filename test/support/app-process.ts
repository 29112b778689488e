import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withAuthDefaults } from './auth-env';
import { eventually } from './eventually';
import { NO_RATE_LIMITS } from './rate-limits';

const main = resolve(__dirname, '../../apps/orders/src/main.js');
/** The Node flags `npm start` gives the service (package.json's config.node_flags): heap sizes included. */
const nodeFlags = (
  JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { config: { node_flags: string } }
).config.node_flags.split(' ');
const MAX_OUTPUT_CHARS = 64 * 2 ** 20;

/** The service in its own process, as `npm start` runs it (roles from ROLES), so a test can kill it. */
export class AppProcess {
  private readonly exited: Promise<unknown>;
  output = '';

  private constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      this.output += chunk.toString();
      // A long run (a soak) logs more than a string can hold: the oldest half goes.
      if (this.output.length > MAX_OUTPUT_CHARS) this.output = this.output.slice(-MAX_OUTPUT_CHARS / 2);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = once(child, 'exit');
  }

  static start(env: Record<string, string>): AppProcess {
    const child = spawn(process.execPath, [...nodeFlags, main], {
      env: withAuthDefaults({
        PATH: process.env.PATH ?? '',
        PORT: '0',
        LOG_LEVEL: 'info',
        ROLES: 'worker',
        ...NO_RATE_LIMITS,
        ...env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new AppProcess(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the process ended: its exit code, or the signal that ended it. */
  async ended(): Promise<number | NodeJS.Signals | null> {
    await this.exited;
    return this.child.exitCode ?? this.child.signalCode;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until the process answers /health/live on `port`. */
  async waitUntilLive(port: number): Promise<void> {
    await eventually(
      async () => (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null))?.ok === true,
      60_000,
      `the service on port ${port}\n${this.output.slice(-2000)}`,
    );
  }

  /** Dies at once, mid-whatever, as on a crash or OOM kill. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }
}
