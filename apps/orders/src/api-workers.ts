import cluster, { type Worker } from 'node:cluster';
import type { AppConfig } from '@app/config';
import { answerMetricsRequests, createAppLogger, serveClusterMetrics } from '@app/observability';

const READY = 'orders:worker-ready';
/** A worker that dies after start-up is replaced after this pause (a crash loop costs one fork a second). */
const RESTART_DELAY_MS = 1_000;

/** In a worker, before anything else: the supervisor may ask for its metrics from now on. */
export function joinSupervisor(): void {
  if (cluster.isWorker) answerMetricsRequests();
}

/** Tells the supervisor, if any, that this worker serves requests. */
export function announceReady(): void {
  if (cluster.isWorker) process.send?.({ type: READY });
}

/**
 * API_WORKERS > 1: this process serves nothing itself. It forks `count` workers, each a whole instance
 * (node:cluster shares the listening ports and hands connections to them in turn), and aggregates their
 * metrics for /metrics. A worker that dies after start-up is replaced; one that fails to start stops the
 * rest and ends this process with its exit code, as a single process would have. SIGTERM (what
 * orchestrators send) is passed on to every worker, which drains and closes; Ctrl-C reaches them from
 * the terminal itself. This process exits once they all have.
 */
export function superviseWorkers(config: AppConfig): void {
  const logger = createAppLogger(config);
  const count = config.apiWorkers;
  serveClusterMetrics();
  const ready = new Set<number>();
  let stopping = false;
  let exitCode = 0;

  const fork = () => {
    if (stopping) return;
    const worker = cluster.fork();
    worker.on('message', (message: { type?: string }) => {
      if (message?.type === READY) ready.add(worker.id);
    });
  };
  const stopAll = (signal: NodeJS.Signals) => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(exitCode);
    for (const worker of workers) worker?.process.kill(signal);
  };

  cluster.on('exit', (worker: Worker, code, signal) => {
    const started = ready.delete(worker.id);
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
      `API worker ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting another`,
      'Workers',
    );
    setTimeout(fork, RESTART_DELAY_MS);
  });
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => (stopping = true));

  for (let i = 0; i < count; i++) fork();
  logger.log(`Supervising ${count} API workers (API_WORKERS)`, 'Workers');
}
