// Runs the real CLI (`node bin/klustera.mjs serve`) as a child process, the way a headless install runs it, and
// waits for its machine-readable `KLUSTERA_READY {"url": …}` line.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from './report.ts';

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
  /** Resident set size of the server process now, in MiB (from /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

const READY_PREFIX = 'KLUSTERA_READY ';

export function spawnServer(dataDir: string, extraEnv: Record<string, string> = {}, timeoutMs = 60_000): Promise<ServerProcess> {
  const started = process.hrtime.bigint();
  // BENCH_NODE_ARGS reaches the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where its time goes.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const args = [...nodeArgs, path.join(ROOT_DIR, 'bin/klustera.mjs'), 'serve', '--port', '0', '--data-dir', dataDir];
  const child = spawn(process.execPath, args, {
    cwd: ROOT_DIR,
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server not ready after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${output}`));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith(READY_PREFIX)) continue;
        const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        const { url } = JSON.parse(line.slice(READY_PREFIX.length)) as { url: string };
        resolve({
          url,
          pid: child.pid!,
          child,
          readyMs,
          rssMb: () => rssMbOf(child.pid!),
          stop: () => stopChild(child),
        });
      }
    });
  });
}

export function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : Number.NaN;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
