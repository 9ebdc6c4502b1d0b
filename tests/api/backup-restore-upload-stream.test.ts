import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estateFigures, RESTORE_UPLOAD_MAX_BYTES } from '../../server/backups/restore.ts';
import { runBackup } from '../../server/backups/service.ts';
import { type ApiClient, setupEstate, startTestServer, type TestServer } from '../support/server.ts';

/**
 * The office's restore upload (up to 200 MB) is streamed to a file in the data folder as it arrives, never held in
 * memory: a body over the cap is refused with 413 while it streams and leaves nothing behind; a normal upload still
 * stages and restores.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;
let dataDir: string;
const incoming = () => path.join(dataDir, 'restore-incoming');
const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-test-'));
  server = await startTestServer({ dataDir });
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Sends a multipart upload of `bytes` zero bytes in 1 MB chunks, without building it in memory, and samples while it
 * runs the largest file in the incoming folder and the growth of this process's buffers (the server runs in it).
 */
function streamUpload(bytes: number) {
  const boundary = `----klustera${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="besar.sqlite"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(1024 * 1024);
  const baseline = process.memoryUsage().arrayBuffers;
  let largestOnDisk = 0;
  let buffersGrew = 0;
  const sampler = setInterval(() => {
    buffersGrew = Math.max(buffersGrew, process.memoryUsage().arrayBuffers - baseline);
    for (const name of filesIn(incoming())) {
      try {
        largestOnDisk = Math.max(largestOnDisk, fs.statSync(path.join(incoming(), name)).size);
      } catch {
        // Removed between the listing and the stat.
      }
    }
  }, 10);
  return new Promise<{ status: number; body: any; largestOnDisk: number; buffersGrew: number }>((resolve, reject) => {
    const req = http.request(`${server.url}/api/v1/installation/restores/upload`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: admin.cookie!,
        'x-csrf-token': admin.csrf!,
      },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        clearInterval(sampler);
        resolve({ status: res.statusCode!, body: JSON.parse(text), largestOnDisk, buffersGrew });
      });
    });
    req.on('error', (err) => {
      clearInterval(sampler);
      reject(err);
    });
    let sent = 0;
    const write = () => {
      if (sent === 0) req.write(head);
      while (sent < bytes && !answered) {
        const part = sent + chunk.length <= bytes ? chunk : chunk.subarray(0, bytes - sent);
        sent += part.length;
        if (!req.write(part)) return void req.once('drain', write);
      }
      req.end(answered ? undefined : tail);
    };
    write();
  });
}

describe('the restore upload is streamed to disk', () => {
  it('a body over 200 MB is refused with 413 while it streams, and leaves nothing behind', async () => {
    const before = await estateFigures(server.app.db.knex);
    const answer = await streamUpload(RESTORE_UPLOAD_MAX_BYTES + 4 * 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    // It went to a file as it arrived (well past what memory would be allowed to hold) ...
    expect(answer.largestOnDisk).toBeGreaterThan(100 * 1024 * 1024);
    // ... and not into memory: held whole, the buffers would have grown by 200 MB.
    expect(answer.buffersGrew).toBeLessThan(64 * 1024 * 1024);
    // The partial file is gone, no staging folder was made and nothing changed.
    expect(filesIn(incoming())).toEqual([]);
    expect(filesIn(path.join(dataDir, 'restore-staging'))).toEqual([]);
    expect(await estateFigures(server.app.db.knex)).toEqual(before);
  });

  it('a normal upload still stages and restores, and its streamed file does not stay in the incoming folder', async () => {
    const made = await runBackup(server.app, 'manual');
    const row = await server.app.db.knex('backups').where({ id: made.id }).first('file_name');
    const atBackup = await estateFigures(server.app.db.knex);
    expect((await admin.post(`/estates/${estateId}/units`, { code: 'Z-09', type: 'rumah', occupancy: 'occupied' })).status).toBe(201);
    const file = path.join(dataDir, 'backups', row.file_name);
    // What an upload cut off by a stopped server left two hours ago goes with the next restore prepared.
    fs.mkdirSync(incoming(), { recursive: true });
    const abandoned = path.join(incoming(), 'cut-off-upload');
    fs.writeFileSync(abandoned, 'partial');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(abandoned, twoHoursAgo, twoHoursAgo);
    const staged = await admin.upload(
      '/installation/restores/upload',
      {},
      { file: { filename: 'cadangan.sqlite', content: fs.readFileSync(file) } },
    );
    expect(staged.status, staged.text).toBe(201);
    expect(staged.body.source).toEqual({ kind: 'upload', file_name: 'cadangan.sqlite' });
    expect(filesIn(incoming())).toEqual([]);
    expect(fs.readdirSync(path.join(dataDir, 'restore-staging', staged.body.id)).sort()).toEqual(['klustera.sqlite', 'restore.json']);
    // A refused upload (no file) leaves nothing either.
    expect((await admin.upload('/installation/restores/upload', { passphrase: 'x' }, {})).status).toBe(400);
    expect(filesIn(incoming())).toEqual([]);

    const switched = await admin.post(`/installation/restores/${staged.body.id}/switch`, { confirm: 'Perumahan Griya Asri' });
    expect(switched.status, switched.text).toBe(200);
    expect(await estateFigures(server.app.db.knex)).toEqual(atBackup);
  });
});
