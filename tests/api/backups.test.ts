import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { backupSchedule } from '../../server/backups/index.ts';
import { decryptFile } from '../../server/backups/encrypted-file.ts';
import { backupStatus, runBackup } from '../../server/backups/service.ts';
import { createTestDatabase } from '../setup/pg-database.ts';
import { apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * Scheduled backups of the built-in database: a checked copy in the data folder, an encrypted copy in a second folder
 * (a USB disk), old ones removed by the retention policy, every result listed for the office and a warning on the
 * dashboard when the last one failed or none is recent. PostgreSQL installations are backed up by their operator.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;
let usb: string;

let dataDir: string;

beforeAll(async () => {
  // A data folder of its own: the built-in database, in the PostgreSQL run of the suite too.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-test-'));
  server = await startTestServer({ dataDir });
  ({ client: admin, estateId } = await setupEstate(server.url));
  usb = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-usb-'));
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(usb, { recursive: true, force: true });
});

/** The list once no backup is running (the server's own job runner makes the one asked for). */
async function settled() {
  for (let i = 0; i < 300; i++) {
    await server.jobs.runDue();
    const list = await admin.get('/installation/backups');
    if (list.body.backups.length && !list.body.backups.some((b: { status: string }) => b.status === 'running')) return list;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the backup did not finish');
}

const settings = (extra: Record<string, unknown> = {}) => ({
  enabled: true,
  time: '02:00',
  keep_daily: 7,
  keep_weekly: 4,
  keep_monthly: 12,
  copy_folder: null,
  ...extra,
});

describe('backups on the built-in database', () => {
  it('a backup made by hand is a checked copy that opens, listed with its checks', async () => {
    const before = await admin.get('/installation/backups');
    expect(before.status).toBe(200);
    expect(before.body.available).toBe(true);
    // Set up minutes ago: the first backup is not due yet, so nothing to warn about.
    expect(before.body.status.state).toBe('pending');
    expect(await backupStatus(server.app, new Date(Date.now() + 37 * 3_600_000))).toMatchObject({ state: 'missing' });
    expect(before.body.settings).toMatchObject({ enabled: true, time: '02:00', keep_daily: 7, has_passphrase: false });

    const started = await admin.post('/installation/backups', {});
    expect(started.status).toBe(202);
    // A second click while it waits or runs is the same backup.
    expect((await admin.post('/installation/backups', {})).body.job_id).toBe(started.body.job_id);
    const after = await settled();
    const [latest] = after.body.backups;
    expect(latest).toMatchObject({ trigger: 'manual', status: 'ok', error: null, pruned: false });
    expect(latest.checks.integrity).toBe('ok');
    expect(latest.checks.cashbooks).toEqual([expect.objectContaining({ estate_id: estateId, ok: true })]);
    expect(after.body.status.state).toBe('ok');
    const file = path.join(server.dataDir, 'backups', latest.file_name);
    const copy = new Database(file, { readonly: true });
    expect((copy.prepare('select id from estates').all() as { id: string }[]).map((r) => r.id)).toContain(estateId);
    copy.close();
    expect(latest.bytes).toBe(fs.statSync(file).size);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it('the dashboard shows the backup state the office must act on', async () => {
    const ok = await admin.get(`/estates/${estateId}/dashboard`);
    expect(ok.body.backup.state).toBe('ok');
    // A failed backup (the data folder's backups folder is a file, so nothing can be written there) turns it red.
    const backups = path.join(server.dataDir, 'backups');
    const moved = `${backups}.moved`;
    fs.renameSync(backups, moved);
    fs.writeFileSync(backups, 'not a folder');
    try {
      await expect(runBackup(server.app, 'manual')).rejects.toThrow();
      const failed = await admin.get(`/estates/${estateId}/dashboard`);
      expect(failed.body.backup.state).toBe('failed');
      const list = await admin.get('/installation/backups');
      expect(list.body.backups[0]).toMatchObject({ status: 'failed', file_name: null });
      expect(list.body.backups[0].error).toBeTruthy();
    } finally {
      fs.rmSync(backups, { force: true });
      fs.renameSync(moved, backups);
    }
    await runBackup(server.app, 'manual');
    expect((await admin.get(`/estates/${estateId}/dashboard`)).body.backup.state).toBe('ok');
    // A day and a half without a new one is a warning too.
    expect(await backupStatus(server.app, new Date(Date.now() + 37 * 3_600_000))).toMatchObject({ state: 'missing' });
  });

  it('a copy folder needs a passphrase, and its copies are encrypted with it', async () => {
    const noPass = await admin.put('/installation/backups/settings', settings({ copy_folder: usb }));
    expect(noPass.status).toBe(409);
    expect(noPass.body.error.code).toBe('BACKUP_PASSPHRASE_REQUIRED');
    const short = await admin.put('/installation/backups/settings', settings({ copy_folder: usb, passphrase: 'short' }));
    expect(short.body.error.code).toBe('BACKUP_PASSPHRASE_TOO_SHORT');
    const relative = await admin.put(
      '/installation/backups/settings',
      settings({ copy_folder: 'usb/klustera', passphrase: 'kunci-lemari-rt05' }),
    );
    expect(relative.body.error.code).toBe('BACKUP_FOLDER_INVALID');
    const nul = await admin.put(
      '/installation/backups/settings',
      settings({ copy_folder: `${usb}/a\u0000b`, passphrase: 'kunci-lemari-rt05' }),
    );
    expect(nul.status).toBe(400);
    const inside = await admin.put(
      '/installation/backups/settings',
      settings({ copy_folder: path.join(server.dataDir, 'usb'), passphrase: 'kunci-lemari-rt05' }),
    );
    expect(inside.body.error.code).toBe('BACKUP_FOLDER_INVALID');

    const saved = await admin.put('/installation/backups/settings', settings({ copy_folder: usb, passphrase: 'kunci-lemari-rt05' }));
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ copy_folder: usb, has_passphrase: true });
    expect(JSON.stringify(saved.body)).not.toContain('kunci-lemari-rt05');
    const stored = await server.db.knex('installation_settings').where({ key: 'backups' }).first('value');
    expect(stored.value).not.toContain('kunci-lemari-rt05');
    // Saving again without a passphrase keeps the stored one.
    expect((await admin.put('/installation/backups/settings', settings({ copy_folder: usb }))).body.has_passphrase).toBe(true);

    const outcome = await runBackup(server.app, 'manual');
    expect(outcome.status).toBe('ok');
    const [latest] = (await admin.get('/installation/backups')).body.backups;
    expect(latest.copies).toEqual([expect.objectContaining({ folder: usb, ok: true })]);
    const encrypted = latest.copies[0].file as string;
    const raw = fs.readFileSync(encrypted);
    expect(raw.subarray(0, 4).toString()).toBe('KLBK');
    expect(raw.includes(Buffer.from('SQLite format 3'))).toBe(false);
    const plain = path.join(usb, 'plain.sqlite');
    await expect(decryptFile(encrypted, plain, 'wrong passphrase')).rejects.toThrow(/passphrase is wrong/);
    expect(fs.existsSync(plain)).toBe(false);
    await decryptFile(encrypted, plain, 'kunci-lemari-rt05');
    expect(fs.readFileSync(plain)).toEqual(fs.readFileSync(path.join(server.dataDir, 'backups', latest.file_name)));
    fs.rmSync(plain);
  });

  it('an unplugged copy disk fails the backup loudly but keeps the local copy', async () => {
    const gone = path.join(usb, 'gone');
    await admin.put('/installation/backups/settings', settings({ copy_folder: gone, passphrase: 'kunci-lemari-rt05' }));
    // The disk is pulled out: where its folder was, something that is not a folder.
    fs.rmSync(gone, { recursive: true, force: true });
    fs.writeFileSync(gone, 'x');
    const outcome = await runBackup(server.app, 'manual');
    expect(outcome.status).toBe('failed');
    const [latest] = (await admin.get('/installation/backups')).body.backups;
    expect(latest.error).toContain(gone);
    expect(fs.existsSync(path.join(server.dataDir, 'backups', latest.file_name))).toBe(true);
    expect((await admin.get(`/estates/${estateId}/dashboard`)).body.backup.state).toBe('failed');
    fs.rmSync(gone);
    await admin.put('/installation/backups/settings', settings());
  });

  it('keeps 7 daily, 4 weekly and 12 monthly backups and removes the rest from disk', async () => {
    await admin.put('/installation/backups/settings', settings({ keep_daily: 3, keep_weekly: 2, keep_monthly: 2 }));
    // Forty-five days of nightly backups, the last one today.
    const today = Date.now();
    for (let d = 44; d >= 0; d--) await runBackup(server.app, 'schedule', new Date(today - d * 86_400_000));
    const list = (await admin.get('/installation/backups')).body.backups as Array<{
      file_name: string | null;
      pruned: boolean;
      trigger: string;
    }>;
    const kept = fs.readdirSync(path.join(server.dataDir, 'backups')).filter((f) => f.endsWith('.sqlite'));
    const listedKept = list.filter((b) => !b.pruned && b.file_name).map((b) => b.file_name);
    expect(kept.sort()).toEqual([...new Set(listedKept)].sort());
    // 3 days + up to 2 more weeks + up to 2 more months, never more than 7 files and never fewer than 3.
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBeLessThanOrEqual(7);
  });

  it('the schedule plans one backup per local day once the time has passed in the estate calendar', async () => {
    await admin.put('/installation/backups/settings', settings({ time: '02:00' }));
    const count = async () => Number((await server.db.knex('jobs').where({ name: 'system.backup' }).count({ n: '*' }).first())!.n);
    const before = await count();
    // 18:30 UTC is 01:30 in Jakarta: too early. 19:30 UTC is 02:30: planned, once, however often the planner runs.
    await backupSchedule.plan(server.app, new Date('2031-03-09T18:30:00Z'));
    expect(await count()).toBe(before);
    await backupSchedule.plan(server.app, new Date('2031-03-09T19:30:00Z'));
    await backupSchedule.plan(server.app, new Date('2031-03-09T23:00:00Z'));
    expect(await count()).toBe(before + 1);
    const job = await server.db.knex('jobs').where({ name: 'system.backup' }).orderBy('created_at', 'desc').first('dedupe_key');
    expect(job.dedupe_key).toBe('daily:2031-03-10');
    await admin.put('/installation/backups/settings', settings({ enabled: false }));
    await backupSchedule.plan(server.app, new Date('2031-03-10T19:30:00Z'));
    expect(await count()).toBe(before + 1);
  });

  it('only the installation administrator manages backups', async () => {
    const { client: treasurer } = await userWithRole(server.url, admin, estateId, 'treasurer');
    expect((await treasurer.get('/installation/backups')).status).toBe(403);
    expect((await treasurer.post('/installation/backups', {})).status).toBe(403);
    expect((await treasurer.put('/installation/backups/settings', settings())).status).toBe(403);
    expect((await apiClient(server.url).get('/installation/backups')).status).toBe(401);
    const bad = await admin.put('/installation/backups/settings', { ...settings(), time: '25:00' });
    expect(bad.status).toBe(400);
    const extra = await admin.put('/installation/backups/settings', { ...settings(), retention: 'forever' });
    expect(extra.status).toBe(400);
  });
});

describe('backups on PostgreSQL', () => {
  it('are left to the database operator: nothing to run here, and the dashboard does not warn', async () => {
    const database = await createTestDatabase(inject('pgUrl'));
    const pg = await startTestServer({ databaseUrl: database.url });
    try {
      const { client, estateId: pgEstate } = await setupEstate(pg.url);
      const view = await client.get('/installation/backups');
      expect(view.body).toMatchObject({ available: false, backups: [], status: { state: 'unavailable' } });
      const started = await client.post('/installation/backups', {});
      expect(started.status).toBe(409);
      expect(started.body.error.code).toBe('BACKUPS_NOT_HERE');
      expect((await client.get(`/estates/${pgEstate}/dashboard`)).body.backup.state).toBe('unavailable');
    } finally {
      await pg.close();
      await database.drop();
    }
  });
});
