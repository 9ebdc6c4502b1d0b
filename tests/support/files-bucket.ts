import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import S3rver from 's3rver';
import { inject } from 'vitest';
import { type ServerProcess, spawnServer } from '../../bench/lib/server-process.ts';
import type { S3Target } from '../../server/object-storage/index.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { type ApiClient, apiClient } from './server.ts';

/**
 * What the uploaded-files-in-a-bucket tests (server/files/) start: a PostgreSQL database of their own (`pgUrl`), an
 * s3rver bucket on 127.0.0.1, and real `klustera serve` processes on that database, each given a bucket address.
 */
export const BUCKET = 'klustera-files';
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001',
  'hex',
);
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

/** Where the server keeps a file of an estate in the bucket. */
export const objectKey = (estate: string, fileId: string) => `estates/${estate}/files/${fileId}`;

export interface BucketRig {
  pgdb: TestDatabase;
  /** The database the `klustera serve` processes share, read directly. */
  knex: Knex;
  s3rver: S3rver;
  /** The s3rver bucket. */
  target: S3Target;
  /** The same bucket at an address on 127.0.0.1 where nothing listens. */
  unreachable: S3Target;
  /** A temporary folder, removed by close(). */
  tempDir(): string;
  /** Starts `klustera serve` on the database with its files in the bucket at `endpoint`; returns its URL. */
  serve(endpoint: string): Promise<string>;
  /** Stops the processes, drops the database, stops s3rver and removes the folders. */
  close(): Promise<void>;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `dirPrefix` names the temporary folders (data folders, s3rver's store). No server is started yet. */
export async function startBucketRig(dirPrefix: string): Promise<BucketRig> {
  const dirs: string[] = [];
  const procs: ServerProcess[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
    dirs.push(dir);
    return dir;
  };
  const pgdb = await createTestDatabase(inject('pgUrl'));
  const knex = knexFactory({ client: 'pg', connection: pgdb.url, pool: { min: 0, max: 2 } });
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: tempDir(),
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = await s3rver.run();
  const target: S3Target = {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket: BUCKET,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    pathStyle: true,
  };
  return {
    pgdb,
    knex,
    s3rver,
    target,
    unreachable: { ...target, endpoint: `http://127.0.0.1:${await closedPort()}` },
    tempDir,
    async serve(endpoint) {
      const proc = await spawnServer(tempDir(), {
        DATABASE_URL: pgdb.url,
        KLUSTERA_PUBLIC_URL: '',
        KLUSTERA_VALIDATE_RESPONSES: '1',
        KLUSTERA_FILES_S3_ENDPOINT: endpoint,
        KLUSTERA_FILES_S3_BUCKET: BUCKET,
        KLUSTERA_FILES_S3_PATH_STYLE: '1',
        KLUSTERA_FILES_S3_ACCESS_KEY_ID: target.accessKeyId,
        KLUSTERA_FILES_S3_SECRET_ACCESS_KEY: target.secretAccessKey,
      });
      procs.push(proc);
      return proc.url;
    },
    async close() {
      for (const p of procs) await p.stop();
      await knex.destroy();
      await pgdb.drop();
      await s3rver.close();
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The same signed-in browser, talking to another process. */
export function sameBrowserOn(url: string, client: ApiClient): ApiClient {
  const other = apiClient(url);
  other.cookie = client.cookie;
  other.csrf = client.csrf;
  return other;
}

/** The body of a 200 or 201 answer; anything else throws with the answer's text. */
export async function ok<T = any>(p: Promise<{ status: number; body: T; text: string }>): Promise<T> {
  const res = await p;
  if (res.status !== 200 && res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body;
}
