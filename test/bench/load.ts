import autocannon from 'autocannon';

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
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    duration: options.seconds,
    connections: options.connections ?? 8,
    method: options.method ?? 'GET',
    overallRate: options.overallRate,
    headers: options.body ? { 'content-type': 'application/json' } : undefined,
    body: options.body,
    requests: options.paths ? [{ setupRequest: (req) => ({ ...req, path: options.paths!() }) }] : undefined,
  });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
  };
}

/**
 * Open-loop load at a steady rate: request i leaves at start + i / rate, whether or not earlier ones
 * have been answered (autocannon's rate limit sends each second's requests in a burst).
 */
export async function steady(options: {
  url: string;
  body: string;
  rate: number;
  seconds: number;
}): Promise<{ sent: number; rate: number; errors: number }> {
  const total = options.rate * options.seconds;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  let errors = 0;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      fetch(options.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: options.body })
        .then((res) => {
          if (!res.ok) errors++;
          return res.arrayBuffer();
        })
        .then(
          () => undefined,
          () => void errors++,
        ),
    );
  }
  await Promise.all(pending);
  return { sent: total, rate: total / ((performance.now() - start) / 1000), errors };
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
