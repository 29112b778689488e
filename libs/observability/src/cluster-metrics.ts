import cluster from 'node:cluster';
import { AggregatorRegistry, register } from 'prom-client';

const REQUEST = 'orders:metrics-request';
const RESPONSE = 'orders:metrics-response';
/** prom-client gives up on a worker that does not answer within 5 s; this one waits a little longer. */
const ANSWER_TIMEOUT_MS = 6_000;

interface MetricsMessage {
  type?: string;
  id?: number;
  text?: string;
  error?: string;
}

/**
 * In the primary of API_WORKERS: a worker asked for /metrics gets every worker's metrics, aggregated by
 * prom-client (counters and histograms summed, gauges as each declares).
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: MetricsMessage) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RESPONSE, id: message.id, text }),
      (error: Error) => worker.send({ type: RESPONSE, id: message.id, error: error.message }),
    );
  });
}

/**
 * In a worker of API_WORKERS, as early as possible: answers the supervisor's requests for this process's
 * metrics (prom-client's own messages), so no scrape waits on a worker that is still starting.
 */
export function answerMetricsRequests(): void {
  new AggregatorRegistry();
}

const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
let nextId = 0;

function askPrimary(): Promise<string> {
  if (nextId === 0) {
    process.on('message', (message: MetricsMessage) => {
      if (message?.type !== RESPONSE || message.id === undefined) return;
      const request = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) request?.reject(new Error(`metrics of the workers: ${message.error}`));
      else request?.resolve(message.text ?? '');
    });
  }
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error('metrics of the workers: no answer from the primary'));
    }, ANSWER_TIMEOUT_MS);
    pending.set(id, {
      resolve: (text) => (clearTimeout(timer), resolve(text)),
      reject: (error) => (clearTimeout(timer), reject(error)),
    });
    process.send?.({ type: REQUEST, id });
  });
}

/** What /metrics serves: this process's metrics, or in a worker of API_WORKERS, all the workers' together. */
export function exposedMetrics(): Promise<string> {
  return cluster.isWorker ? askPrimary() : register.metrics();
}
