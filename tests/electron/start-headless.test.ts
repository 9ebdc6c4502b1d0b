import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Resolves with the first stdout line matching `pattern`, or rejects with everything printed if the process exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const line of output.split('\n')) {
        const match = line.match(pattern);
        if (match) {
          child.stdout!.off('data', onData);
          resolve(match);
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before printing ${pattern}:\n${output}`)));
  });
}

describe('npm start without an Electron binary', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('serves headless with the given arguments, prints the URL and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'klustera-start-'));
    child = spawn(process.execPath, ['bin/start.mjs', '--port', '0', '--data-dir', dataDir, '--kiosk'], {
      cwd: repoRoot,
      // ELECTRON_OVERRIDE_DIST_PATH is the electron package's own switch; pointing it nowhere makes the test
      // mean the same thing on a machine that does have the binary.
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent', KLUSTERA_SKIP_RENDERER_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [, base, suffix] = await waitForLine(child, /serving in the browser at (http:\/\/127\.0\.0\.1:\d+)(\/\S*)/);
    expect(suffix).toBe('/kiosk');

    const health = await fetch(`${base}/api/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'sqlite', setup_required: true });

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${base}/api/v1/health`)).rejects.toThrow();
  });
});
