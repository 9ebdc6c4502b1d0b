import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// bin/start.mjs is plain JavaScript run directly by `npm start`; a computed specifier keeps tsc from wanting types.
const { findElectronBinary, headlessNotice } = await import(path.resolve('bin/start.mjs'));

/** `npm start` as a new user meets it on a machine without the Electron binary: calm output, and Ctrl-C stops it all. */
const START = path.resolve('bin/start.mjs');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of the processes whose parent is `pid` (Linux /proc). */
function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

async function startNpmStart(env: Record<string, string> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-start-'));
  dirs.push(dataDir);
  const port = await freePort();
  const child = spawn(process.execPath, [START, '--port', String(port), '--data-dir', dataDir], {
    env: {
      ...process.env,
      KLUSTERA_SKIP_RENDERER_BUILD: '1',
      // The electron package's own switch: pointing it nowhere is a machine without the binary, here or anywhere.
      ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent',
      KLUSTERA_HEADLESS: '',
      KLUSTERA_DATA_DIR: '',
      KLUSTERA_PUBLIC_URL: '',
      KLUSTERA_READY_LINE: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('serving in the browser at')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${stdout}${stderr}`)));
  });
  return { child, port, output: () => stdout, errors: () => stderr };
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('npm start without an Electron binary', () => {
  it('prints one calm line with the address and no machine-readable ready line', async () => {
    const { child, port, output, errors } = await startNpmStart();
    expect(output()).toContain(`Desktop window not available on this machine; serving in the browser at http://127.0.0.1:${port}/`);
    expect(output()).not.toContain('KLUSTERA_READY');
    expect(output() + errors()).not.toMatch(/No Electron binary|failed to install|delete node_modules/i);
    child.kill('SIGTERM');
  }, 60_000);

  it('passes the ready line on when KLUSTERA_READY_LINE=1 asks for it', async () => {
    const { child, port, output } = await startNpmStart({ KLUSTERA_READY_LINE: '1' });
    expect(output()).toContain(`KLUSTERA_READY {"url":"http://127.0.0.1:${port}","port":${port}}`);
    child.kill('SIGTERM');
  }, 60_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} stops the server child: the port closes and no process is left`, async () => {
      const { child, port } = await startNpmStart();
      const servers = childPids(child.pid!);
      expect(servers.length).toBeGreaterThan(0);
      expect(await portOpen(port)).toBe(true);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
      expect(await waitFor(async () => !(await portOpen(port)), 5_000)).toBe(true);
      expect(await waitFor(() => servers.every((pid) => !processAlive(pid)), 5_000)).toBe(true);
    }, 60_000);
  }
});

describe('the headless notice', () => {
  it('calls an absent Electron package binary absent, and says nothing more about it', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-noelectron-'));
    dirs.push(root);
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"x"}');
    const electron = findElectronBinary(root, {}, 'linux');
    expect(electron).toMatchObject({ ok: false, absent: true });
    expect(headlessNotice(electron, 'http://127.0.0.1:1/')).toEqual([
      'Desktop window not available on this machine; serving in the browser at http://127.0.0.1:1/',
    ]);
  });

  it('explains a binary that is there but cannot open a window', () => {
    const lines = headlessNotice({ ok: false, reason: 'there is no display (DISPLAY/WAYLAND_DISPLAY unset)' }, 'http://h/');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('no display');
  });
});

describe('klustera serve at a terminal', () => {
  it('prints the ready line into a pipe but not onto a terminal', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-tty-'));
    dirs.push(dataDir);
    const port = await freePort();
    // script(1) gives the server a pseudo-terminal as stdout, as a person running `npm run serve` has.
    const command = `${process.execPath} ${path.resolve('bin/klustera.mjs')} serve --port ${port} --data-dir ${dataDir}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, KLUSTERA_DATA_DIR: '', KLUSTERA_PUBLIC_URL: '', KLUSTERA_READY_LINE: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    expect(await waitFor(() => output.includes('Klustera is ready at'), 30_000)).toBe(true);
    // The ready line would follow the phone lines at once; give it a moment to show up if it were printed.
    expect(await waitFor(() => portOpen(port), 5_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(output).not.toContain('KLUSTERA_READY');
    child.kill('SIGTERM');
    for (const pid of childPids(child.pid!)) process.kill(pid, 'SIGTERM');
  }, 60_000);
});
