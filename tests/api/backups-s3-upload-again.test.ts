import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backupJob } from '../../server/backups/job.ts';
import { queueBackupUpload } from '../../server/backups/s3-upload.ts';
import { runBackup } from '../../server/backups/service.ts';
import { enqueueJob } from '../../server/jobs/job-queue.ts';
import { createTestDatabase } from '../setup/pg-database.ts';
import { type FakeS3, startFakeS3 } from '../support/fake-s3.ts';
import { type ApiClient, setupEstate, startTestServer, type TestServer, userWithRole } from '../support/server.ts';

/**
 * A backup whose upload failed for good (the bucket refused the keys) is uploaded again once the bucket accepts:
 * by "upload again" in the office (two clicks at once put one upload in the queue) and by the next backup run, oldest
 * first. The object arrives once, the backup is whole again and the dashboard stops warning.
 */
const PASSPHRASE = 'kunci-lemari-rt05';
const BUCKET = 'klustera-backups';
const DAY = 86_400_000;

let server: TestServer;
let s3: FakeS3;
let admin: ApiClient;
let estateId: string;
let dataDir: string;

const settings = (secretKey: string) => ({
  enabled: true,
  time: '02:00',
  keep_daily: 7,
  keep_weekly: 4,
  keep_monthly: 12,
  copy_folder: null,
  passphrase: PASSPHRASE,
  s3: {
    enabled: true,
    endpoint: s3.url,
    region: s3.region,
    bucket: BUCKET,
    prefix: 'griya/',
    access_key_id: s3.accessKeyId,
    secret_key: secretKey,
    path_style: true,
  },
});
const refuseKeys = async () => expect((await admin.put('/installation/backups/settings', settings('wrong-secret-key'))).status).toBe(200);
const acceptKeys = async () => expect((await admin.put('/installation/backups/settings', settings(s3.secretAccessKey))).status).toBe(200);

beforeAll(async () => {
  s3 = await startFakeS3();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-s3-again-'));
  server = await startTestServer({ dataDir, backgroundJobs: false });
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server?.close();
  await s3?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const backupRow = async (id: string) => (await admin.get('/installation/backups')).body.backups.find((b: { id: string }) => b.id === id);
const dashboardState = async () => (await admin.get(`/estates/${estateId}/dashboard`)).body.backup.state;
const keyOf = (fileName: string) => `griya/${fileName}.klbk`;
/** The uploads the bucket accepted, in the order they arrived. */
const acceptedPuts = () =>
  s3.requests.filter((r) => r.method === 'PUT' && r.status === 200).map((r) => decodeURIComponent(r.url.split(`/${BUCKET}/`)[1]));

/** A backup made at `at` whose upload the bucket refuses. */
async function backupRefused(at: Date) {
  const backup = await runBackup(server.app, 'manual', at);
  await queueBackupUpload(server.app, backup.id);
  await server.jobs.runDue();
  const row = await backupRow(backup.id);
  expect(row.status).toBe('failed');
  expect(row.error).toBe('Unggahan ke S3 gagal: Server S3 menolak kunci akses ini (SignatureDoesNotMatch).');
  expect(row.remote).toMatchObject({ status: 'failed', attempts: 1 });
  return row as { id: string; file_name: string };
}

describe('failed uploads to the S3 bucket are uploaded again', () => {
  it('"upload again": the bucket refused, then accepts; two clicks at once upload each backup once, oldest first', async () => {
    await refuseKeys();
    const older = await backupRefused(new Date(Date.now() - 4 * DAY));
    const newer = await backupRefused(new Date());
    expect(await dashboardState()).toBe('failed');

    // Only the installation's administrator.
    const { client: treasurer } = await userWithRole(server.url, admin, estateId, 'treasurer');
    expect((await treasurer.post('/installation/backups/upload-again', {})).status).toBe(403);
    const { client: estateAdmin } = await userWithRole(server.url, admin, estateId, 'estate_admin');
    expect((await estateAdmin.post('/installation/backups/upload-again', {})).status).toBe(403);
    expect(await server.db.knex('jobs').where('dedupe_key', 'like', 'upload:%:again:%').count({ n: '*' })).toEqual([{ n: 0 }]);

    await acceptKeys();
    const clicks = await Promise.all([
      admin.post('/installation/backups/upload-again', {}),
      admin.post('/installation/backups/upload-again', {}),
    ]);
    expect(clicks.map((c) => c.status)).toEqual([202, 202]);
    expect(clicks.map((c) => c.body.queued).sort()).toEqual([0, 2]);
    expect((await backupRow(older.id)).remote).toMatchObject({ status: 'pending', error: null });

    await server.jobs.runDue();
    for (const backup of [older, newer]) {
      const row = await backupRow(backup.id);
      expect(row).toMatchObject({ status: 'ok', error: null });
      expect(row.remote).toMatchObject({ status: 'ok', key: keyOf(backup.file_name), attempts: 1, error: null, pruned: false });
      expect(s3.buckets.get(BUCKET)!.get(keyOf(backup.file_name))!.body.subarray(0, 4).toString()).toBe('KLBK');
    }
    // Each arrived once, the oldest first.
    expect(acceptedPuts()).toEqual([keyOf(older.file_name), keyOf(newer.file_name)]);
    expect(await dashboardState()).toBe('ok');
    // Nothing is left to upload again.
    expect((await admin.post('/installation/backups/upload-again', {})).body).toEqual({ queued: 0 });
    await server.jobs.runDue();
    expect(acceptedPuts().length).toBe(2);
  });

  it('the next backup run uploads the failed ones first, still by the retention policy', async () => {
    await refuseKeys();
    const failed = await backupRefused(new Date(Date.now() - 2 * DAY));
    await acceptKeys();
    const before = acceptedPuts().length;
    await enqueueJob(server.db.knex, backupJob, { trigger: 'schedule' }, { key: 'daily:test' });
    for (let i = 0; i < 50 && (await server.db.knex('jobs').whereIn('status', ['pending', 'running']).first('id')); i++) {
      await server.jobs.runDue();
    }
    const [tonight] = (await admin.get('/installation/backups')).body.backups;
    expect(tonight.id).not.toBe(failed.id);
    expect(tonight).toMatchObject({ status: 'ok', trigger: 'schedule' });
    expect(tonight.remote.status).toBe('ok');
    expect(await backupRow(failed.id)).toMatchObject({ status: 'ok', error: null, remote: { status: 'ok', error: null } });
    expect(acceptedPuts().slice(before)).toEqual([keyOf(failed.file_name), keyOf(tonight.file_name)]);
    // Tonight's backup is the day's newest: the one made earlier today left the bucket by the policy, the rest stay.
    const objects = [...s3.buckets.get(BUCKET)!.keys()].sort();
    const list = (await admin.get('/installation/backups')).body.backups as Array<{
      file_name: string | null;
      remote: { status: string; key: string; pruned: boolean } | null;
    }>;
    expect(objects).toEqual(
      list
        .filter((b) => b.remote?.status === 'ok' && !b.remote.pruned)
        .map((b) => b.remote!.key)
        .sort(),
    );
    expect(objects).toHaveLength(3);
    expect(await dashboardState()).toBe('ok');
  });
});

describe('upload again on PostgreSQL', () => {
  it('answers 409 with the backups code and queues nothing: its operator backs that database up', async () => {
    const database = await createTestDatabase(inject('pgUrl'));
    const pg = await startTestServer({ databaseUrl: database.url, backgroundJobs: false });
    try {
      const { client } = await setupEstate(pg.url);
      const res = await client.post('/installation/backups/upload-again', {});
      expect([res.status, res.body.error.code]).toEqual([409, 'BACKUPS_NOT_HERE']);
      expect(Number((await pg.db.knex('jobs').where('name', 'system.backup-upload').count({ n: '*' }))[0].n)).toBe(0);
    } finally {
      await pg.close();
      await database.drop();
    }
  });
});
