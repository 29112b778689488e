import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually';
import { freePort } from './free-port';

/** Health-check timing: a server is out after 2 failed checks 300 ms apart, back after 2 good ones. */
export const HEALTH_CHECK = { intervalMs: 300, fall: 2, rise: 2 };

/**
 * A real HAProxy (Debian's package) in front of API instances on loopback ports, checking each one's
 * /health/ready as a production balancer would. Each request gets its own server-side connection
 * (http-server-close). It never retries a request on another instance, so a request sent to an
 * instance that already closed fails: no request lost in a restart is down to the drain alone.
 */
export class HaProxy {
  private constructor(
    readonly port: number,
    private readonly statsPort: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(servers: Record<string, number>): Promise<HaProxy> {
    const [port, statsPort] = [await freePort(), await freePort()];
    const dir = await mkdtemp(join(tmpdir(), 'orders-haproxy-'));
    const config = join(dir, 'haproxy.cfg');
    await writeFile(config, haproxyConfig(port, statsPort, servers));
    const child = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Not installed: a thrown error, so the caller stops what it started (unhandled, it ends the process).
    await new Promise((started, failed) => child.once('spawn', started).once('error', failed)).catch(async (error) => {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`haproxy did not start (${(error as Error).message}): it comes with Debian's haproxy package`);
    });
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const proxy = new HaProxy(port, statsPort, dir, child);
    await eventually(async () => (await proxy.states().catch(() => null)) !== null, 10_000, `haproxy\n${errors}`);
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Each API server's state as HAProxy sees it: UP, DOWN, or in between (e.g. "DOWN 1/2"). */
  async states(): Promise<Record<string, string>> {
    const csv = await (await fetch(`http://127.0.0.1:${this.statsPort}/stats;csv`)).text();
    const rows = csv.split('\n').map((line) => line.split(','));
    const columns = rows[0].map((name) => name.replace(/^# /, ''));
    const [proxy, server, status] = ['pxname', 'svname', 'status'].map((name) => columns.indexOf(name));
    return Object.fromEntries(
      rows.filter((row) => row[proxy] === 'api' && row[server] !== 'BACKEND').map((row) => [row[server], row[status]]),
    );
  }

  async waitFor(server: string, state: 'UP' | 'DOWN', timeoutMs = 30_000): Promise<void> {
    await eventually(async () => (await this.states())[server] === state, timeoutMs, `${server} ${state} in HAProxy`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill('SIGTERM');
      await once(this.child, 'exit');
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

function haproxyConfig(port: number, statsPort: number, servers: Record<string, number>): string {
  const { intervalMs, fall, rise } = HEALTH_CHECK;
  return `global
  maxconn 2000

defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  timeout check 1s
  option http-server-close
  retries 0

frontend orders
  bind 127.0.0.1:${port}
  default_backend api

backend api
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter ${intervalMs} fall ${fall} rise ${rise}
${Object.entries(servers)
  .map(([name, serverPort]) => `  server ${name} 127.0.0.1:${serverPort} check`)
  .join('\n')}

listen stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`;
}
