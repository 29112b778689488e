import cluster from 'node:cluster';
import type { AppConfig } from '@app/config';
import { answerMetricsRequests, createAppLogger, serveClusterMetrics } from '@app/observability';

const READY = 'orders:worker-ready';
/** A worker that dies after start-up is replaced after this pause (a crash loop costs one fork a second). */
const RESTART_DELAY_MS = 1_000;

/** In a worker, before anything else: the supervisor may ask for its metrics from now on. */
export function joinSupervisor(): void {
  if (cluster.isWorker) answerMetricsRequests();
}

/** The supervisor's event worker: the worker role alone, its metrics served by the API workers' /metrics. */
export function isEventWorker(config: AppConfig): boolean {
  return cluster.isWorker && !config.roles.includes('api');
}

/** Tells the supervisor, if any, that this process has started. */
export function announceReady(): void {
  if (cluster.isWorker) process.send?.({ type: READY });
}

/** The two kinds of process a supervisor forks. */
type ProcessKind = 'api' | 'events';

const LABEL: Record<ProcessKind, string> = { api: 'API worker', events: 'Event worker' };

/**
 * More than one process (API_WORKERS > 1, or auto on more than one core): this process serves nothing
 * itself. It forks the API workers (ROLES=api; node:cluster shares the listening ports and hands
 * connections to them in turn) and, when this instance runs the worker role, one event worker
 * (ROLES=worker, serving no port): events are handled once per instance, so its consumer applies whole
 * fetches of every partition the instance is given, and no API process spends a core on them. It
 * aggregates every process's metrics for /metrics. A process that dies after start-up is replaced by
 * one of its kind; one that fails to start stops the rest and ends this process with its exit code, as
 * a single process would have. SIGTERM (what orchestrators send) is passed on to every process, which
 * drains and closes; Ctrl-C reaches them from the terminal itself. This process exits once they all
 * have.
 */
export function superviseWorkers(config: AppConfig): void {
  const logger = createAppLogger(config);
  serveClusterMetrics();
  let stopping = false;
  let exitCode = 0;

  const stopAll = (signal: NodeJS.Signals) => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(exitCode);
    for (const worker of workers) worker?.process.kill(signal);
  };
  const fork = (kind: ProcessKind) => {
    if (stopping) return;
    // Each process it forks is a process of one, serving its own role.
    const worker = cluster.fork({ ROLES: kind === 'api' ? 'api' : 'worker', API_WORKERS: '1' });
    let started = false;
    worker.on('message', (message: { type?: string }) => {
      if (message?.type === READY) started = true;
    });
    worker.on('exit', (code: number, signal: string | null) => {
      const alive = Object.keys(cluster.workers ?? {}).length;
      if (stopping) {
        if (alive === 0) process.exit(exitCode);
        return;
      }
      if (!started) {
        // Its own fatal line says why; the others would fail the same way.
        exitCode = code || 1;
        stopAll('SIGTERM');
        return;
      }
      logger.error(
        `${LABEL[kind]} ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting another`,
        'Workers',
      );
      setTimeout(() => fork(kind), RESTART_DELAY_MS);
    });
  };
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => (stopping = true));

  const { api, eventWorker } = config.processes;
  for (let i = 0; i < api; i++) fork('api');
  if (eventWorker) fork('events');
  logger.log(
    `Supervising ${api} API worker${api > 1 ? 's' : ''} (API_WORKERS)${eventWorker ? ' and one event worker' : ''}`,
    'Workers',
  );
}
