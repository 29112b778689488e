import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

const workerMain = resolve(__dirname, '../../apps/orders-worker/src/main.js');

/** An orders-worker in its own process, as `npm run start:worker` runs it, so a test can kill it. */
export class WorkerProcess {
  private readonly exited: Promise<unknown>;
  output = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = once(child, 'exit');
  }

  static start(env: Record<string, string>): WorkerProcess {
    const child = spawn(process.execPath, [workerMain], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new WorkerProcess(child);
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
