import autocannon from 'autocannon';
import { Agent, request } from 'node:http';

export interface LoadResult {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

/** Drives `path` (or a request per call of `next`) for `seconds` and reports latency in ms and requests/s. */
export async function load(options: {
  url: string;
  seconds: number;
  connections?: number;
  method?: 'GET' | 'POST';
  body?: string;
  paths?: () => string;
  overallRate?: number;
  headers?: Record<string, string>;
  /** Called with the body of every 2xx response. */
  onResponse?: (body: string) => void;
}): Promise<LoadResult> {
  const { paths, onResponse } = options;
  const result = await autocannon({
    url: options.url,
    duration: options.seconds,
    connections: options.connections ?? 8,
    method: options.method ?? 'GET',
    overallRate: options.overallRate,
    headers: { ...options.headers, ...(options.body ? { 'content-type': 'application/json' } : {}) },
    body: options.body,
    requests:
      paths || onResponse
        ? [
            {
              ...(paths && { setupRequest: (req) => ({ ...req, path: paths() }) }),
              ...(onResponse && { onResponse: (status, body) => status < 300 && onResponse(body) }),
            },
          ]
        : undefined,
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
  };
}

/**
 * Open-loop load at a steady rate: call i starts at start + i / rate, whether or not earlier ones
 * have finished (autocannon's rate limit sends each second's requests in a burst). `send` resolves
 * to false when the call failed.
 */
export async function steady(options: {
  send: () => Promise<boolean>;
  rate: number;
  seconds: number;
}): Promise<{ sent: number; rate: number; errors: number }> {
  const total = options.rate * options.seconds;
  const start = performance.now();
  const pending: Promise<boolean>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(options.send().catch(() => false));
  }
  const errors = (await Promise.all(pending)).filter((ok) => !ok).length;
  return { sent: total, rate: total / ((performance.now() - start) / 1000), errors };
}

/**
 * A sender of one POST with `body`, over kept-alive node:http sockets: it costs the shared cores
 * less than fetch does. Call `close` when done.
 */
export function poster(url: string, body: string): { send: () => Promise<boolean>; close: () => void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const bytes = Buffer.from(body);
  const headers = { 'content-type': 'application/json', 'content-length': bytes.length };
  const send = () =>
    new Promise<boolean>((resolve) => {
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode !== undefined && res.statusCode < 300));
      });
      req.on('error', () => resolve(false));
      req.end(bytes);
    });
  return { send, close: () => agent.destroy() };
}

/** One client, one request at a time: latency without queueing, to the microsecond. */
export async function sequential(options: {
  paths: () => string;
  baseUrl: string;
  requests: number;
}): Promise<LoadResult> {
  const times: number[] = [];
  let errors = 0;
  const started = performance.now();
  for (let i = 0; i < options.requests; i++) {
    const t = performance.now();
    const res = await fetch(`${options.baseUrl}${options.paths()}`);
    await res.arrayBuffer();
    if (!res.ok) errors++;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p99: at(0.99), rps: options.requests / ((performance.now() - started) / 1000), errors };
}
