// HTTP load with autocannon, keeping every response time so p50/p95/p99 are exact (autocannon's own summary has
// no p95). A short unmeasured warm-up comes first so JIT and caches settle.
import autocannon from 'autocannon';
import { round, summarizeLatencies } from './stats.ts';

export interface LoadOptions {
  baseUrl: string;
  /** Paths to request in turn on every connection (varied queries defeat caching of one answer). */
  paths: string[];
  headers?: Record<string, string>;
  /** Instead of `paths`: requests with their own headers (e.g. one signed-in resident's cookie each). */
  requests?: Array<{ path: string; headers?: Record<string, string> }>;
  connections?: number;
  /** Several server processes of one database: the connections are spread evenly over them, samples pooled. */
  baseUrls?: string[];
  durationSeconds?: number;
  warmupSeconds?: number;
}

export interface LoadResult {
  requests_per_s: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  requests: number;
  non_2xx: number;
  errors: number;
  connections: number;
  duration_s: number;
}

async function runOnce(opts: LoadOptions, durationSeconds: number, samples?: number[]) {
  let non2xx = 0;
  // Without a callback autocannon returns its event emitter made thenable; the typings only admit the promise.
  const instance = autocannon({
    url: opts.baseUrl,
    connections: opts.connections ?? 10,
    duration: durationSeconds,
    headers: opts.headers,
    requests: opts.requests
      ? opts.requests.map((r) => ({ method: 'GET' as const, path: r.path, headers: { ...opts.headers, ...r.headers } }))
      : opts.paths.map((path) => ({ method: 'GET' as const, path })),
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    samples?.push(responseTime);
    if (statusCode < 200 || statusCode >= 300) non2xx += 1;
  });
  const result = await instance;
  return { result, non2xx };
}

/** One load generator per server when `baseUrls` names several, started together. */
async function runAcross(opts: LoadOptions, durationSeconds: number, samples?: number[]) {
  const urls = opts.baseUrls?.length ? opts.baseUrls : [opts.baseUrl];
  const total = opts.connections ?? 10;
  const runs = await Promise.all(
    urls.map((baseUrl, i) =>
      runOnce(
        { ...opts, baseUrl, connections: Math.floor(total / urls.length) + (i < total % urls.length ? 1 : 0) },
        durationSeconds,
        samples,
      ),
    ),
  );
  return {
    result: { errors: runs.reduce((n, r) => n + r.result.errors, 0), timeouts: runs.reduce((n, r) => n + r.result.timeouts, 0) },
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
  };
}

export async function measureHttpLoad(opts: LoadOptions): Promise<LoadResult> {
  const duration = opts.durationSeconds ?? 10;
  await runAcross(opts, opts.warmupSeconds ?? 2);
  const samples: number[] = [];
  const started = process.hrtime.bigint();
  const { result, non2xx } = await runAcross(opts, duration, samples);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const latency = summarizeLatencies(samples);
  return {
    requests_per_s: round(samples.length / elapsed, 1),
    p50_ms: latency.p50_ms,
    p95_ms: latency.p95_ms,
    p99_ms: latency.p99_ms,
    max_ms: latency.max_ms,
    requests: samples.length,
    non_2xx: non2xx,
    errors: result.errors + result.timeouts,
    connections: opts.connections ?? 10,
    duration_s: round(elapsed, 2),
  };
}
