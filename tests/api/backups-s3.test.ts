import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupsToKeep } from '../../server/backups/retention.ts';
import { getObjectToFile, objectLocation } from '../../server/object-storage/index.ts';
import { queueBackupUpload, UPLOAD_ATTEMPTS } from '../../server/backups/s3-upload.ts';
import { runBackup } from '../../server/backups/service.ts';
import { captureLogger } from '../support/log-capture.ts';
import { type FakeS3, startFakeS3 } from '../support/fake-s3.ts';
import { type ApiClient, type ApiResponse, setupEstate, startTestServer, type TestServer, userWithRole } from '../support/server.ts';

/**
 * Backups uploaded to an S3-compatible bucket (a real S3 wire-format server on 127.0.0.1 that checks every request's
 * Signature V4): only the encrypted copy leaves the machine, each upload is read back, the bucket keeps what the
 * retention policy keeps, a bucket that refuses the keys marks the backup failed while its local file stays, a bucket
 * having a bad minute is tried again, and the secret key shows up in no answer, no log and no request.
 */
const run = promisify(execFile);
const PASSPHRASE = 'kunci-lemari-rt05';
const BUCKET = 'klustera-backups';

let server: TestServer;
let s3: FakeS3;
let admin: ApiClient;
let estateId: string;
let dataDir: string;
const logs = captureLogger();
const answers: string[] = [];
const tmp: string[] = [];

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-s3-'));
  tmp.push(dir);
  return dir;
}

/** Every answer the office gets is kept, to look for the secret in afterwards. */
function remember<T extends ApiResponse>(answer: T): T {
  answers.push(answer.text);
  return answer;
}

const s3Settings = (extra: Record<string, unknown> = {}) => ({
  enabled: true,
  endpoint: s3.url,
  region: s3.region,
  bucket: BUCKET,
  prefix: 'perumahan-griya/',
  access_key_id: s3.accessKeyId,
  path_style: true,
  ...extra,
});

const settings = (extra: Record<string, unknown> = {}) => ({
  enabled: true,
  time: '02:00',
  keep_daily: 7,
  keep_weekly: 4,
  keep_monthly: 12,
  copy_folder: null,
  ...extra,
});

beforeAll(async () => {
  s3 = await startFakeS3();
  // A data folder of its own: the built-in database, in the PostgreSQL run of the suite too.
  dataDir = tempDir();
  // Jobs run when the test says, so a retry's backoff can be seen before it passes.
  server = await startTestServer({ dataDir, logger: logs.log, backgroundJobs: false });
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server?.close();
  await s3?.close();
  for (const dir of tmp) fs.rmSync(dir, { recursive: true, force: true });
});

const objects = () => [...s3.buckets.get(BUCKET)!.keys()].sort();
const backupRow = async (id: string) => (await admin.get('/installation/backups')).body.backups.find((b: { id: string }) => b.id === id);

/** Runs due jobs until the backup's upload has an outcome other than waiting. */
async function uploadSettled(id: string) {
  for (let i = 0; i < 200; i++) {
    await server.jobs.runDue();
    const row = await backupRow(id);
    if (row?.remote && row.remote.status !== 'pending') return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the upload did not finish');
}

describe('backups to an S3-compatible bucket', () => {
  it('a bucket needs the backup passphrase first, checks what is typed, and never answers the secret key back', async () => {
    const noPass = remember(
      await admin.put('/installation/backups/settings', settings({ s3: s3Settings({ secret_key: s3.secretAccessKey }) })),
    );
    expect(noPass.status).toBe(409);
    expect(noPass.body.error.code).toBe('BACKUP_PASSPHRASE_REQUIRED');

    const bad = async (s3Extra: Record<string, unknown>) =>
      remember(
        await admin.put(
          '/installation/backups/settings',
          settings({ passphrase: PASSPHRASE, s3: s3Settings({ secret_key: 'x'.repeat(20), ...s3Extra }) }),
        ),
      );
    expect((await bad({ endpoint: 'ftp://example.com' })).body.error).toMatchObject({
      code: 'BACKUP_S3_ENDPOINT_INVALID',
      field: 's3.endpoint',
    });
    expect((await bad({ endpoint: `${s3.url}/path?x=1` })).body.error.code).toBe('BACKUP_S3_ENDPOINT_INVALID');
    expect((await bad({ bucket: 'a' })).body.error.code).toBe('BACKUP_S3_BUCKET_INVALID');
    expect((await bad({ prefix: '../other' })).body.error.code).toBe('BACKUP_S3_PREFIX_INVALID');
    expect((await bad({ region: 'ap southeast' })).body.error.code).toBe('BACKUP_S3_REGION_INVALID');
    expect((await bad({ access_key_id: '' })).body.error.code).toBe('BACKUP_S3_KEY_REQUIRED');
    const noSecret = remember(await admin.put('/installation/backups/settings', settings({ passphrase: PASSPHRASE, s3: s3Settings() })));
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.error.code).toBe('BACKUP_S3_KEY_REQUIRED');
    // None of the refused saves wrote anything.
    expect(await server.db.knex('installation_settings').where({ key: 'backups' }).first()).toBeUndefined();

    const saved = remember(
      await admin.put(
        '/installation/backups/settings',
        settings({ passphrase: PASSPHRASE, s3: s3Settings({ secret_key: s3.secretAccessKey }) }),
      ),
    );
    expect(saved.status).toBe(200);
    expect(saved.body.s3).toEqual({
      enabled: true,
      endpoint: s3.url,
      region: s3.region,
      bucket: BUCKET,
      prefix: 'perumahan-griya/',
      access_key_id: s3.accessKeyId,
      path_style: true,
      has_secret_key: true,
    });
    const stored = await server.db.knex('installation_settings').where({ key: 'backups' }).first('value');
    expect(stored.value).not.toContain(s3.secretAccessKey);
    // Saving again without the secret keeps it; leaving `s3` out keeps the whole bucket.
    expect(remember(await admin.put('/installation/backups/settings', settings({ s3: s3Settings() }))).body.s3.has_secret_key).toBe(true);
    expect(remember(await admin.put('/installation/backups/settings', settings())).body.s3.bucket).toBe(BUCKET);
    // Forgetting the passphrase while the bucket is on is refused: nothing unencrypted may be uploaded.
    const forget = remember(await admin.put('/installation/backups/settings', settings({ passphrase: null })));
    expect(forget.body.error.code).toBe('BACKUP_PASSPHRASE_REQUIRED');
    remember(await admin.get('/installation/backups'));
  });

  it('"test connection" writes, reads back and deletes a small object, and says why a bucket refuses', async () => {
    const before = s3.requests.length;
    const ok = remember(await admin.post('/installation/backups/s3-test', {}));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, bucket: BUCKET });
    expect(ok.body.key).toMatch(/^perumahan-griya\/\.klustera-connection-test-/);
    expect(s3.requests.slice(before).map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 200', 'HEAD 200', 'DELETE 204']);
    expect(objects()).toEqual([]);

    await admin.put('/installation/backups/settings', settings({ s3: s3Settings({ secret_key: 'not-the-secret-key' }) }));
    const rejected = remember(await admin.post('/installation/backups/s3-test', {}));
    expect(rejected.status).toBe(422);
    expect(rejected.body.error.code).toBe('BACKUP_S3_REJECTED');
    expect(rejected.body.error.message).toContain('SignatureDoesNotMatch');
    const english = await admin.post('/installation/backups/s3-test', {}, { 'Accept-Language': 'en' });
    expect(english.body.error.message).toBe('The S3 server refused this access key (SignatureDoesNotMatch).');

    await admin.put(
      '/installation/backups/settings',
      settings({ s3: s3Settings({ bucket: 'no-such-bucket', secret_key: s3.secretAccessKey }) }),
    );
    const noBucket = remember(await admin.post('/installation/backups/s3-test', {}));
    expect(noBucket.body.error.code).toBe('BACKUP_S3_NO_BUCKET');

    await admin.put('/installation/backups/settings', settings({ s3: s3Settings({ endpoint: 'http://127.0.0.1:9' }) }));
    const unreachable = remember(await admin.post('/installation/backups/s3-test', {}));
    expect(unreachable.status).toBe(422);
    expect(unreachable.body.error.code).toBe('BACKUP_S3_UNREACHABLE');

    await admin.put('/installation/backups/settings', settings({ s3: s3Settings() }));
    const { client: treasurer } = await userWithRole(server.url, admin, estateId, 'treasurer');
    expect((await treasurer.post('/installation/backups/s3-test', {})).status).toBe(403);
  });

  it('a backup is uploaded encrypted after its checks, read back, and restores with klustera restore from the bucket', async () => {
    const started = remember(await admin.post('/installation/backups', {}));
    expect(started.status).toBe(202);
    let backup: { id: string; file_name: string } | undefined;
    for (let i = 0; i < 300 && !backup; i++) {
      await server.jobs.runDue();
      const [latest] = (await admin.get('/installation/backups')).body.backups;
      if (latest && latest.status !== 'running') backup = latest;
      else await new Promise((r) => setTimeout(r, 100));
    }
    const row = await uploadSettled(backup!.id);
    remember(await admin.get('/installation/backups'));
    expect(row).toMatchObject({ status: 'ok', error: null });
    const key = `perumahan-griya/${backup!.file_name}.klbk`;
    expect(row.remote).toMatchObject({ status: 'ok', bucket: BUCKET, key, attempts: 1, error: null, pruned: false });
    const stored = s3.buckets.get(BUCKET)!.get(key)!;
    expect(row.remote.bytes).toBe(stored.body.length);
    // Only the encrypted copy left the machine.
    expect(stored.body.subarray(0, 4).toString()).toBe('KLBK');
    expect(stored.body.includes(Buffer.from('SQLite format 3'))).toBe(false);
    // Uploaded, then read back with a HEAD.
    const upload = s3.requests.filter((r) => r.url.endsWith(encodeURIComponent(`${backup!.file_name}.klbk`)));
    expect(upload.map((r) => r.method)).toEqual(['PUT', 'HEAD']);
    expect(upload[0].headers['content-md5']).toBeTruthy();
    // Nothing of the encryption step stays beside the backups.
    expect(fs.readdirSync(path.join(dataDir, 'backups')).filter((f) => f.startsWith('.upload-'))).toEqual([]);

    // Disaster: the office PC is gone. From the bucket to a fresh data folder on another machine.
    const fresh = tempDir();
    const downloaded = path.join(fresh, 'from-bucket.klbk');
    const target = {
      endpoint: s3.url,
      region: s3.region,
      bucket: BUCKET,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      pathStyle: true,
    };
    await getObjectToFile(target, key, downloaded);
    const passphraseFile = path.join(fresh, 'passphrase.txt');
    fs.writeFileSync(passphraseFile, `${PASSPHRASE}\n`);
    const restoredDir = path.join(fresh, 'data');
    const env = { ...process.env, KLUSTERA_DATA_DIR: '' };
    const restored = await run(
      process.execPath,
      ['bin/klustera.mjs', 'restore', downloaded, '--data-dir', restoredDir, '--passphrase-file', passphraseFile],
      { env, timeout: 60_000 },
    );
    expect(restored.stdout).toContain('Restored from');
    const db = new Database(path.join(restoredDir, 'klustera.sqlite'), { readonly: true });
    try {
      expect((db.prepare('select id from estates').all() as { id: string }[]).map((r) => r.id)).toContain(estateId);
    } finally {
      db.close();
    }
  });

  it('a bucket having a bad minute is tried again with backoff; one that refuses the keys fails the backup, whose local file stays', async () => {
    s3.failNext(1, 503);
    const queuedAt = Date.now();
    const first = await runBackup(server.app, 'manual');
    await queueBackupUpload(server.app, first.id);
    const retrying = await uploadSettled(first.id);
    expect(retrying.remote).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(retrying.remote.error).toContain('HTTP 503');
    expect(retrying.status).toBe('ok');
    const job = await server.db
      .knex('jobs')
      .where({ name: 'system.backup-upload', dedupe_key: `upload:${first.id}` })
      .first();
    expect(job).toMatchObject({ status: 'pending', attempts: 1, max_attempts: UPLOAD_ATTEMPTS });
    expect(Date.parse(job.run_at)).toBeGreaterThanOrEqual(queuedAt + 2000);
    // The backoff has passed.
    await server.db
      .knex('jobs')
      .where({ id: job.id })
      .update({ run_at: new Date(Date.now() - 1000).toISOString() });
    await server.jobs.runDue();
    expect((await backupRow(first.id)).remote).toMatchObject({ status: 'ok', attempts: 2, error: null });

    await admin.put(
      '/installation/backups/settings',
      settings({ s3: s3Settings({ access_key_id: 'AKIAWRONGKEY', secret_key: 'wrong-secret-key' }) }),
    );
    const second = await runBackup(server.app, 'manual');
    await queueBackupUpload(server.app, second.id);
    const failed = await uploadSettled(second.id);
    remember(await admin.get('/installation/backups'));
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('Unggahan ke S3 gagal: Server S3 menolak kunci akses ini (InvalidAccessKeyId).');
    expect(failed.remote).toMatchObject({ status: 'failed', attempts: 1 });
    expect(fs.existsSync(path.join(dataDir, 'backups', failed.file_name))).toBe(true);
    // Trying again with the same keys cannot help: the job ends, the office sees the failure.
    expect(
      await server.db
        .knex('jobs')
        .where({ dedupe_key: `upload:${second.id}` })
        .first('status'),
    ).toMatchObject({ status: 'done' });
    expect(remember(await admin.get(`/estates/${estateId}/dashboard`)).body.backup.state).toBe('failed');
    await admin.put('/installation/backups/settings', settings({ s3: s3Settings({ secret_key: s3.secretAccessKey }) }));
  });

  it('the bucket keeps what the retention policy keeps and the rest is deleted from it', async () => {
    await admin.put('/installation/backups/settings', settings({ keep_daily: 3, keep_weekly: 2, keep_monthly: 2 }));
    // Six weeks of backups every sixth day, the last one today: days, weeks and a month boundary to prune by.
    const today = Date.now();
    for (let d = 42; d >= 0; d -= 6) {
      const backup = await runBackup(server.app, 'schedule', new Date(today - d * 86_400_000));
      await queueBackupUpload(server.app, backup.id);
      await server.jobs.runDue();
    }
    const rows = (await server.db.knex('backups').whereNotNull('remote').select('id', 'started_at', 'remote')) as Array<{
      id: string;
      started_at: string;
      remote: string;
    }>;
    const uploaded = rows.filter((r) => JSON.parse(r.remote).status === 'ok');
    // Eight here, and the two uploaded by the tests before.
    expect(uploaded.length).toBe(8 + 2);
    const keep = backupsToKeep(uploaded, { daily: 3, weekly: 2, monthly: 2 }, 'Asia/Jakarta');
    const expected = uploaded.filter((r) => keep.has(r.id)).map((r) => JSON.parse(r.remote).key as string);
    expect(objects()).toEqual(expected.sort());
    expect(objects().length).toBeGreaterThanOrEqual(3);
    expect(objects().length).toBeLessThanOrEqual(7);
    // The newest three days are there, and the bucket holds what the data folder holds.
    const local = fs.readdirSync(path.join(dataDir, 'backups')).filter((f) => f.endsWith('.sqlite'));
    expect(objects().map((k) => k.replace('perumahan-griya/', '').replace(/\.klbk$/, ''))).toEqual(local.sort());
    const list = remember(await admin.get('/installation/backups')).body.backups as Array<{ remote: { pruned: boolean } | null }>;
    expect(list.filter((b) => b.remote?.pruned).length).toBe(uploaded.length - expected.length);
  });

  it('the secret key appears in no answer, no log line, no request and no stored row', async () => {
    expect(answers.length).toBeGreaterThan(10);
    for (const text of answers) expect(text).not.toContain(s3.secretAccessKey);
    expect(logs.lines.length).toBeGreaterThan(0);
    for (const line of logs.lines) expect(line).not.toContain(s3.secretAccessKey);
    for (const request of s3.requests) expect(JSON.stringify(request)).not.toContain(s3.secretAccessKey);
    const dump = JSON.stringify(await server.db.knex('backups').select('*')) + JSON.stringify(await server.db.knex('jobs').select('*'));
    expect(dump).not.toContain(s3.secretAccessKey);
    const audit = JSON.stringify(await server.db.knex('audit_log').select('before', 'after'));
    expect(audit).not.toContain(s3.secretAccessKey);
  });

  it('addresses a bucket path-style or virtual-hosted', () => {
    const target = {
      endpoint: 'https://s3.example.com',
      region: 'auto',
      bucket: 'kas-rt',
      accessKeyId: 'a',
      secretAccessKey: 'b',
      pathStyle: false,
    };
    expect(objectLocation(target, 'a b/c.klbk')).toEqual({
      protocol: 'https:',
      hostname: 'kas-rt.s3.example.com',
      port: undefined,
      path: '/a%20b/c.klbk',
    });
    expect(objectLocation({ ...target, pathStyle: true, endpoint: 'http://10.0.0.5:9000' }, 'x')).toEqual({
      protocol: 'http:',
      hostname: '10.0.0.5',
      port: 9000,
      path: '/kas-rt/x',
    });
  });
});
