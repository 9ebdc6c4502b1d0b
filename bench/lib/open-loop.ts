// Open-loop load: request i starts at i / rate seconds whether or not earlier ones have answered, so a slow server
// shows up as latency instead of as a lower rate (a closed loop would hide it).
export interface OpenLoopResult {
  /** Milliseconds of every request that succeeded. */
  latencies: number[];
  failures: number;
  /** Failures by HTTP status or error name. */
  statuses: Record<string, number>;
}

/** `send(i)` resolves to an HTTP status (2xx counts as success) or rejects. */
export async function openLoop(rate: number, total: number, send: (i: number) => Promise<number>): Promise<OpenLoopResult> {
  const latencies: number[] = [];
  let failures = 0;
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    pending.push(
      send(i).then(
        (status) => {
          if (status >= 200 && status < 300) latencies.push(performance.now() - t0);
          else {
            failures++;
            statuses[status] = (statuses[status] ?? 0) + 1;
          }
        },
        (err: Error) => {
          failures++;
          statuses[err.name] = (statuses[err.name] ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(pending);
  if (failures) process.stdout.write(`failures by status: ${JSON.stringify(statuses)}\n`);
  return { latencies, failures, statuses };
}
