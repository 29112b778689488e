import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';
import { eventually } from './eventually';

/** The repository root (this file runs from dist/test/support). */
export const repoRoot = resolve(__dirname, '../../..');
export const prometheusConfigDir = join(repoRoot, 'deploy/prometheus');
export const grafanaDashboardsDir = join(repoRoot, 'deploy/grafana/dashboards');

/** Debian's `prometheus` package puts both on PATH; the variables allow another install. */
export const prometheusBin = process.env.PROMETHEUS_BIN ?? 'prometheus';
export const promtoolBin = process.env.PROMTOOL_BIN ?? 'promtool';

/**
 * deploy/prometheus/prometheus.yml with every scrape target (found by DNS there) replaced by `target` and every interval
 * by `interval`: the same jobs (dashboards and alerts select on them) scraping a test process.
 */
export function localPrometheusConfig(target: string, interval: string): string {
  let config = readFileSync(join(prometheusConfigDir, 'prometheus.yml'), 'utf8');
  // Fail loudly if the file changes shape, rather than scraping the compose hostnames.
  const rewrite = (pattern: RegExp, replacement: string, what: string) => {
    if (!pattern.test(config)) throw new Error(`deploy/prometheus/prometheus.yml: found no ${what} to rewrite`);
    config = config.replace(pattern, replacement);
  };
  rewrite(
    /dns_sd_configs:\n\s+- names: \[[^\]]*\]\n\s+type: A\n\s+port: \d+/g,
    `static_configs:\n      - targets: ['${target}']`,
    'targets',
  );
  rewrite(/scrape_interval: \S+/g, `scrape_interval: ${interval}`, 'scrape_interval');
  rewrite(/evaluation_interval: \S+/g, `evaluation_interval: ${interval}`, 'evaluation_interval');
  return config;
}

export interface QueryResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: { metric: Record<string, string>; value?: [number, string] }[] };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

export interface RuleGroup {
  name: string;
  file: string;
  rules: { name: string; query: string; type: 'alerting' | 'recording'; health: string; lastError?: string }[];
}

export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
}

/** A real Prometheus server in a temporary directory, with the project's config and rules. */
export class PrometheusServer {
  private output = '';
  private readonly exited: Promise<unknown>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // Settles on exit, and on a failed spawn (no binary), which emits 'error' and no 'exit'.
    this.exited = new Promise((settle) => {
      child.once('exit', settle);
      child.once('error', settle);
    });
  }

  /** Scrapes `target` as both jobs of the project's config, and evaluates its alert rules, every `interval`. */
  static async start(target: string, interval = '1s'): Promise<PrometheusServer> {
    const dir = mkdtempSync(join(tmpdir(), 'orders-prometheus-'));
    // rule_files are relative to the config file: the copy keeps `alerts.yml` resolving.
    writeFileSync(join(dir, 'prometheus.yml'), localPrometheusConfig(target, interval));
    copyFileSync(join(prometheusConfigDir, 'alerts.yml'), join(dir, 'alerts.yml'));
    const port = await freePort();
    const child = spawn(
      prometheusBin,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const server = new PrometheusServer(child, dir, `http://127.0.0.1:${port}`);
    const failedToStart = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`prometheus exited with ${code}:\n${server.output}`)));
    });
    failedToStart.catch(() => {}); // only awaited while starting
    try {
      await Promise.race([failedToStart, eventually(() => server.ready(), 30_000, 'Prometheus to be ready')]);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  private async ready(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/-/ready`)).ok;
    } catch {
      return false;
    }
  }

  /** An instant query at the current time; the body as Prometheus answers it, errors included. */
  async query(expr: string): Promise<QueryResponse> {
    const res = await fetch(`${this.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: expr }),
    });
    return (await res.json()) as QueryResponse;
  }

  /** The value of a query returning a single sample, or undefined when it returns none. */
  async value(expr: string): Promise<number | undefined> {
    const response = await this.query(expr);
    if (response.status !== 'success') throw new Error(`${expr}: ${response.error}`);
    const [sample] = response.data!.result;
    return sample?.value ? Number(sample.value[1]) : undefined;
  }

  async ruleGroups(): Promise<RuleGroup[]> {
    const body = (await (await fetch(`${this.url}/api/v1/rules`)).json()) as { data: { groups: RuleGroup[] } };
    return body.data.groups;
  }

  async alerts(): Promise<Alert[]> {
    const body = (await (await fetch(`${this.url}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
    return body.data.alerts;
  }

  /** Stops the server and deletes its configuration and data. */
  async stop(): Promise<void> {
    const running = this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
    if (running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
