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
