import { spawn, type ChildProcess } from 'node:child_process';
import { createLineSplitter, parseReadyLine } from './server-ready-line.ts';
import type { NodeRuntime } from './node-runtime.ts';

export interface ServerChildOptions {
  runtime: NodeRuntime;
  /** Path to bin/klustera.mjs. */
  scriptPath: string;
  /** Arguments after the script, e.g. ['serve', '--port', '0', '--data-dir', dir]. */
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Gives up when the server has not announced itself by then; a hung child must not leave a blank window forever. */
  readyTimeoutMs?: number;
  /** Receives the child's output lines (minus the ready line) so the shell can log them. */
  onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerChild {
  url: string;
  pid: number;
  /** Resolves when the child exits for any reason, including a crash after it was ready. */
  exited: Promise<ServerExit>;
  /** Asks the server to shut down (SIGTERM), escalating to SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<ServerExit>;
}

export class ServerStartError extends Error {
  override name = 'ServerStartError';
  constructor(
    message: string,
    readonly outputTail: string,
  ) {
    super(outputTail ? `${message}\n${outputTail}` : message);
  }
}

const TAIL_LINES = 40;

function stopChild(child: ChildProcess, exited: Promise<ServerExit>, graceMs: number): Promise<ServerExit> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const escalate = setTimeout(() => child.kill('SIGKILL'), graceMs);
  return exited.finally(() => clearTimeout(escalate));
}

export function startServerChild(options: ServerChildOptions): Promise<ServerChild> {
  const child = spawn(options.runtime.command, [options.scriptPath, ...options.args], {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), ...options.runtime.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });

  const tail: string[] = [];
  const remember = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };

  const exited = new Promise<ServerExit>((resolve) => {
    // 'close' rather than 'exit': it fires after the pipes drain, so the output tail is complete.
    child.once('close', (code, signal) => resolve({ code, signal }));
  });

  return new Promise<ServerChild>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopChild(child, exited, 2_000);
      reject(new ServerStartError(message, tail.join('\n')));
    };

    const timer = setTimeout(
      () => fail(`Klustera server did not report ready within ${options.readyTimeoutMs ?? 30_000} ms`),
      options.readyTimeoutMs ?? 30_000,
    );

    const stdout = createLineSplitter((line) => {
      const ready = parseReadyLine(line);
      if (ready && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({
          url: ready.url,
          pid: child.pid!,
          exited,
          stop: (graceMs = 5_000) => stopChild(child, exited, graceMs),
        });
        return;
      }
      remember(line);
      options.onOutput?.('stdout', line);
    });
    const stderr = createLineSplitter((line) => {
      remember(line);
      options.onOutput?.('stderr', line);
    });

    child
      .stdout!.setEncoding('utf8')
      .on('data', (chunk: string) => stdout.push(chunk))
      .on('end', () => stdout.end());
    child
      .stderr!.setEncoding('utf8')
      .on('data', (chunk: string) => stderr.push(chunk))
      .on('end', () => stderr.end());

    child.once('error', (error) => fail(`Could not start ${options.runtime.command}: ${error.message}`));
    void exited.then(({ code, signal }) => fail(`Klustera server exited before it was ready (code ${code}, signal ${signal})`));
  });
}
