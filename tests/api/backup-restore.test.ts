import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encryptFile } from '../../server/backups/encrypted-file.ts';
import { estateFigures, type EstateFigures } from '../../server/backups/restore.ts';
import { runBackup } from '../../server/backups/service.ts';
import { readBackup } from '../../server/db/backup.ts';
import { createTestDatabase } from '../setup/pg-database.ts';
import { ADMIN, apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * Restore from the office on the built-in database, with real files: a backup is staged in a folder of its own,
 * checked and compared with the live books, and only switched to after the estate's name is typed; the live file is
 * kept as a safety copy and the server carries on with the restored books.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;
let dataDir: string;
let work: string;
let backupId: string;
let backupFile: string;
let atBackup: EstateFigures[];
let calendar: { today: string; period: string; now: string };
const e = (p: string) => `/estates/${estateId}${p}`;
const staging = () => path.join(dataDir, 'restore-staging');
const stagedFolders = () => (fs.existsSync(staging()) ? fs.readdirSync(staging()) : []);
const liveFigures = () => estateFigures(server.app.db.knex);

async function unitWithPayment(code: string, amount: number) {
  const unit = await admin.post(e('/units'), { code, type: 'rumah', occupancy: 'occupied' });
  expect(unit.status, unit.text).toBe(201);
  const charge = await admin.post(e('/charges'), {
    name: `Iuran ${code}`,
    amount,
    period: calendar.period,
    due_date: calendar.today,
    unit_ids: [unit.body.id],
  });
  expect(charge.status, charge.text).toBe(201);
  const paid = await admin.post(e('/payments'), { unit_id: unit.body.id, amount, method: 'cash', paid_at: calendar.now });
  expect(paid.status, paid.text).toBe(201);
  // The receipt's number is minted when the office first opens it.
  expect((await admin.get(e(`/payments/${paid.body.id}/receipt`))).status).toBe(200);
}

function upload(client: ApiClient, file: string, passphrase?: string) {
  return client.upload('/installation/restores/upload', passphrase === undefined ? {} : { passphrase }, {
    file: { filename: path.basename(file), content: fs.readFileSync(file) },
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-test-'));
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-restore-'));
  server = await startTestServer({ dataDir });
  ({ client: admin, estateId } = await setupEstate(server.url));
  calendar = (await admin.get(e('/calendar'))).body;
  await unitWithPayment('A-01', 150_000);
  await unitWithPayment('A-02', 175_000);
  expect((await admin.post(e('/residents'), { name: 'Bu Sri' })).status).toBe(201);
  const made = await runBackup(server.app, 'manual');
  expect(made.status).toBe('ok');
  backupId = made.id;
  const row = await server.app.db.knex('backups').where({ id: backupId }).first();
  backupFile = path.join(dataDir, 'backups', row.file_name);
  atBackup = await liveFigures();
  // What the office did after the backup, and would lose.
  await unitWithPayment('B-07', 200_000);
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe('restore from the office', () => {
  it('is for the installation administrator only', async () => {
    const { client: estateAdmin } = await userWithRole(server.url, admin, estateId, 'estate_admin');
    const { client: treasurer } = await userWithRole(server.url, admin, estateId, 'treasurer');
    for (const client of [estateAdmin, treasurer]) {
      expect((await client.post('/installation/restores', { backup_id: backupId })).status).toBe(403);
      expect((await upload(client, backupFile)).status).toBe(403);
    }
    expect(stagedFolders()).toEqual([]);
  });

  it('refuses a damaged or foreign file and a newer schema, changing nothing', async () => {
    const before = await liveFigures();
    const truncated = path.join(work, 'potong.sqlite');
    fs.writeFileSync(truncated, fs.readFileSync(backupFile).subarray(0, 8192));
    const garbage = path.join(work, 'foto.sqlite');
    fs.writeFileSync(garbage, Buffer.from('bukan cadangan, hanya foto kuitansi'));
    for (const file of [truncated, garbage]) {
      const res = await upload(admin, file);
      expect(res.status, res.text).toBe(422);
      expect(res.body.error.code).toBe('BACKUP_UNUSABLE');
    }
    const newer = path.join(work, 'versi-baru.sqlite');
    fs.copyFileSync(backupFile, newer);
    const db = new Database(newer);
    db.prepare('insert into knex_migrations (name, batch, migration_time) values (?, 99, ?)').run(
      '29991231000000_future',
      new Date().toISOString(),
    );
    db.close();
    const refused = await upload(admin, newer);
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.error.code).toBe('BACKUP_NEWER_SCHEMA');
    expect((await admin.post('/installation/restores', { backup_id: 'no-such-backup' })).body.error.code).toBe('BACKUP_NOT_FOUND');
    expect(stagedFolders()).toEqual([]);
    expect(await liveFigures()).toEqual(before);
  });

  it('opens an encrypted backup with its passphrase only; cancelling removes the staging folder', async () => {
    const encrypted = path.join(work, 'cadangan.sqlite.klbk');
    await encryptFile(backupFile, encrypted, 'kunci-lemari-rt05');
    const missing = await upload(admin, encrypted);
    expect([missing.status, missing.body.error.code]).toEqual([400, 'BACKUP_PASSPHRASE_REQUIRED']);
    const wrong = await upload(admin, encrypted, 'kunci-lemari-rt06');
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'BACKUP_PASSPHRASE_WRONG']);
    expect(stagedFolders()).toEqual([]);

    const staged = await upload(admin, encrypted, 'kunci-lemari-rt05');
    expect(staged.status, staged.text).toBe(201);
    expect(staged.body.source).toEqual({ kind: 'upload', file_name: 'cadangan.sqlite.klbk' });
    expect(staged.body.estates[0].backup).toEqual(atBackup[0]);
    expect(stagedFolders()).toEqual([staged.body.id]);
    // Only the checked copy stays: neither the upload nor its decrypted bytes.
    expect(fs.readdirSync(path.join(staging(), staged.body.id)).sort()).toEqual(['klustera.sqlite', 'restore.json']);

    expect((await admin.delete(`/installation/restores/${staged.body.id}`)).status).toBe(204);
    expect(stagedFolders()).toEqual([]);
    expect((await admin.get(`/installation/restores/${staged.body.id}`)).status).toBe(404);
    expect((await admin.get('/installation/restores/..%2F..%2Fetc')).status).toBe(404);
  });

  it('migrates a backup from an older version in its staging copy, leaving the live file alone', async () => {
    const older = path.join(work, 'versi-lama.sqlite');
    fs.copyFileSync(backupFile, older);
    // The backup as the version before the newest migration left it: that migration's index back, its row gone.
    const db = new Database(older);
    db.exec('create index outbox_hlc_index on outbox (hlc)');
    db.prepare('delete from knex_migrations where name like ?').run('20261206000100_outbox_single_clock_index%');
    db.close();
    const liveMigrations = await server.app.db.knex('knex_migrations').count({ n: '*' });
    const staged = await upload(admin, older);
    expect(staged.status, staged.text).toBe(201);
    expect(staged.body.migrated).toContain('20261206000100_outbox_single_clock_index');
    expect(staged.body.estates[0].backup).toEqual(atBackup[0]);
    const copy = new Database(path.join(staging(), staged.body.id, 'klustera.sqlite'), { readonly: true });
    expect(copy.prepare("select count(*) as n from sqlite_master where name = 'outbox_hlc_index'").get()).toEqual({ n: 0 });
    copy.close();
    expect(await server.app.db.knex('knex_migrations').count({ n: '*' })).toEqual(liveMigrations);
    expect((await admin.delete(`/installation/restores/${staged.body.id}`)).status).toBe(204);
  });

  it('stages a listed backup, compares it exactly, and switches once to exactly the backup', async () => {
    const live = await liveFigures();
    const staged = await admin.post('/installation/restores', { backup_id: backupId });
    expect(staged.status, staged.text).toBe(201);
    expect(staged.body).toMatchObject({ confirm_name: 'Perumahan Griya Asri', migrated: [] });
    expect(staged.body.backup_at).toBe((await server.app.db.knex('backups').where({ id: backupId }).first()).started_at);
    const [estate] = staged.body.estates;
    expect(estate.backup).toEqual(atBackup[0]);
    expect(estate.live).toEqual(live[0]);
    // The figures the office compares, by hand: one unit, one invoice, one payment and its cash-book entry since.
    expect(estate.backup).toMatchObject({ units: 2, residents: 1, invoices: 2, payments: 2 });
    expect(estate.live).toMatchObject({ units: 3, residents: 1, invoices: 3, payments: 3 });
    expect(estate.live.cashbook_entries - estate.backup.cashbook_entries).toBe(1);
    const cash = (f: EstateFigures) => f.accounts.reduce((n, a) => n + a.balance, 0);
    expect(cash(estate.backup)).toBe(325_000);
    expect(cash(estate.live)).toBe(525_000);
    expect(estate.backup.last_receipt_number).toMatch(/\d/);
    expect(estate.live.last_receipt_number > estate.backup.last_receipt_number).toBe(true);

    const mismatch = await admin.post(`/installation/restores/${staged.body.id}/switch`, { confirm: 'Perumahan Griya' });
    expect([mismatch.status, mismatch.body.error.code]).toEqual([400, 'RESTORE_CONFIRM_MISMATCH']);

    // A session opened after the backup: the restored books do not know it.
    const late = apiClient(server.url);
    expect((await late.post('/auth/login', { login: ADMIN.email, password: ADMIN.password })).status).toBe(200);
    const switches = await Promise.all(
      [late, late].map((c) => c.post(`/installation/restores/${staged.body.id}/switch`, { confirm: '  perumahan griya asri ' })),
    );
    // The one that lost answers 409 while the first checks, or 503 while the file is being replaced.
    expect(switches.filter((s) => s.status === 200).length, switches.map((s) => s.text).join('\n')).toBe(1);
    expect(switches.map((s) => s.body.error?.code).filter(Boolean)[0]).toMatch(/^(RESTORE_IN_PROGRESS|SERVER_BUSY)$/);
    const again = await admin.post(`/installation/restores/${staged.body.id}/switch`, { confirm: 'Perumahan Griya Asri' });
    expect([again.status, again.body.error.code]).toEqual([404, 'RESTORE_NOT_FOUND']);
    const done = switches.find((s) => s.status === 200)!.body;
    expect(done.session_kept).toBe(false);
    expect(done.restored_from).toMatchObject({ backup_at: staged.body.backup_at, source: path.basename(backupFile) });

    // The server carries on with exactly the backup's books, plus the note of where they came from.
    expect(await liveFigures()).toEqual(atBackup);
    expect((await late.get('/auth/me')).status).toBe(401);
    const dashboard = await admin.get(e('/dashboard'));
    expect(dashboard.status, dashboard.text).toBe(200);
    expect(dashboard.body.backup.restored_from).toMatchObject({ backup_at: staged.body.backup_at });
    // The books replaced are kept whole beside the backups, named with the time.
    expect(path.basename(done.previous)).toMatch(/^klustera-before-restore-\d{4}-\d{2}-\d{2}T/);
    expect(await readBackup(done.previous, estateFigures)).toEqual(live);
    expect(stagedFolders()).toEqual([]);
    // Writing goes on after the switch, on the restored file.
    await unitWithPayment('C-01', 50_000);
    expect((await liveFigures())[0].units).toBe(3);
  });
});

describe('restore on PostgreSQL', () => {
  it('answers 409 with its own code: estates move there by export and import', async () => {
    const database = await createTestDatabase(inject('pgUrl'));
    const pg = await startTestServer({ databaseUrl: database.url });
    try {
      const { client } = await setupEstate(pg.url);
      const res = await client.post('/installation/restores', { backup_id: 'x' });
      expect([res.status, res.body.error.code]).toEqual([409, 'RESTORE_NOT_HERE']);
      const up = await upload(client, backupFile);
      expect([up.status, up.body.error.code]).toEqual([409, 'RESTORE_NOT_HERE']);
    } finally {
      await pg.close();
      await database.drop();
    }
  });
});
