import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObjectToFile } from '../../server/object-storage/index.ts';
import { type ApiClient, setupEstate, startTestServer, type TestServer } from '../support/server.ts';

/**
 * The bucket target against s3rver, an S3 API server from npm run on 127.0.0.1 (its own implementation of the
 * protocol, with its default key pair S3RVER/S3RVER), beside the stricter wire-format fake of backups-s3.test.ts
 * (which also checks every signature, as s3rver does not refuse a wrong secret): "test connection" and a real
 * backup's upload, read back from the bucket byte for byte.
 */
const BUCKET = 'estate-backups';
const PASSPHRASE = 'kunci-pos-ronda-07';

let server: TestServer;
let s3rver: S3rver;
let endpoint: string;
let admin: ApiClient;
const tmp: string[] = [];

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-s3rver-'));
  tmp.push(dir);
  return dir;
}

beforeAll(async () => {
  s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: tempDir(),
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = (await s3rver.run()) as { port: number };
  endpoint = `http://127.0.0.1:${port}`;
  server = await startTestServer({ dataDir: tempDir(), backgroundJobs: false });
  ({ client: admin } = await setupEstate(server.url));
});
afterAll(async () => {
  await server?.close();
  await s3rver?.close();
  for (const dir of tmp) fs.rmSync(dir, { recursive: true, force: true });
});

const s3 = (secret: string) => ({
  enabled: true,
  endpoint,
  region: 'us-east-1',
  bucket: BUCKET,
  prefix: 'griya/',
  access_key_id: 'S3RVER',
  secret_key: secret,
  path_style: true,
});
const settings = (secret: string) => ({
  enabled: true,
  time: '02:00',
  keep_daily: 7,
  keep_weekly: 4,
  keep_monthly: 12,
  copy_folder: null,
  passphrase: PASSPHRASE,
  s3: s3(secret),
});

describe('backups to s3rver', () => {
  it('"test connection" writes, reads back and deletes its object there', async () => {
    expect((await admin.put('/installation/backups/settings', settings('S3RVER'))).status).toBe(200);
    const ok = await admin.post('/installation/backups/s3-test', {});
    expect(ok.status, ok.text).toBe(200);
  });

  it('uploads the checked backup encrypted, and the object in the bucket is the file that was checked', async () => {
    expect((await admin.post('/installation/backups', {})).status).toBe(202);
    let row: any;
    for (let i = 0; i < 400; i++) {
      await server.jobs.runDue();
      [row] = (await admin.get('/installation/backups')).body.backups;
      if (row?.status !== 'running' && row?.remote && row.remote.status !== 'pending') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(row).toMatchObject({ status: 'ok' });
    expect(row.remote).toMatchObject({ status: 'ok', bucket: BUCKET, key: `griya/${row.file_name}.klbk` });
    const downloaded = path.join(tempDir(), 'object.klbk');
    await getObjectToFile(
      { endpoint, region: 'us-east-1', bucket: BUCKET, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', pathStyle: true },
      row.remote.key,
      downloaded,
    );
    const body = fs.readFileSync(downloaded);
    expect(body.length).toBe(row.remote.bytes);
    expect(body.subarray(0, 4).toString()).toBe('KLBK');
    expect(body.includes(Buffer.from('SQLite format 3'))).toBe(false);
  });
});
