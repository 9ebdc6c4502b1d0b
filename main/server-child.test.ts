import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerStartError, startServerChild, type ServerChild } from './server-child.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-fixtures', 'fake-server.mjs');
const runtime = { command: process.execPath, env: { KLUSTERA_FIXTURE_MARK: '1' }, source: 'PATH' as const };

describe('startServerChild', () => {
  let running: ServerChild | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('resolves with the url from the ready line and the server answers there', async () => {
    const output: string[] = [];
    running = await startServerChild({
      runtime,
      scriptPath: fixture,
      args: ['ok', '--port', '0'],
      cwd: path.dirname(fixture),
      onOutput: (_stream, line) => output.push(line),
    });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const body = (await (await fetch(running.url)).json()) as { args: string[] };
    expect(body.args).toEqual(['ok', '--port', '0']);
    expect(output[0]).toMatch(/^Klustera is ready at/);
    expect(output.some((line) => line.startsWith('KLUSTERA_READY'))).toBe(false);
  });

  it('passes the runtime environment (ELECTRON_RUN_AS_NODE for packaged builds) to the child', async () => {
    running = await startServerChild({
      runtime: { command: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' }, source: 'electron-as-node' },
      scriptPath: fixture,
      args: ['ok'],
      cwd: path.dirname(fixture),
    });
    const body = (await (await fetch(running.url)).json()) as { electron_run_as_node: string | null };
    expect(body.electron_run_as_node).toBe('1');
  });

  it('stops the child with SIGTERM and reports a clean exit', async () => {
    const child = await startServerChild({ runtime, scriptPath: fixture, args: ['ok'], cwd: path.dirname(fixture) });
    const exit = await child.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    await expect(fetch(child.url)).rejects.toThrow();
  });

  it('rejects with the output tail when the server exits before it is ready', async () => {
    const error = await startServerChild({ runtime, scriptPath: fixture, args: ['crash'], cwd: path.dirname(fixture) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServerStartError);
    expect((error as ServerStartError).message).toMatch(/exited before it was ready \(code 3/);
    expect((error as ServerStartError).outputTail).toContain('database is locked');
  });

  it('rejects and kills a child that never reports ready', async () => {
    const error = await startServerChild({
      runtime,
      scriptPath: fixture,
      args: ['silent'],
      cwd: path.dirname(fixture),
      readyTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerStartError);
    expect((error as Error).message).toMatch(/did not report ready/);
  });

  it('rejects when the runtime does not exist', async () => {
    const missing = { command: '/nonexistent/node', env: {}, source: 'KLUSTERA_NODE' as const };
    await expect(startServerChild({ runtime: missing, scriptPath: fixture, args: [], cwd: path.dirname(fixture) })).rejects.toThrow(
      /Could not start \/nonexistent\/node/,
    );
  });
});
