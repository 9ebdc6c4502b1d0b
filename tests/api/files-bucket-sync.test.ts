import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFileBucket } from '../../server/files/index.ts';
import { getObject, type S3Target } from '../../server/object-storage/index.ts';
import { entriesAsChanges, type OutboxEntry } from '../../server/sync/change-log.ts';
import { estateDigests } from '../../server/sync/digests.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import { type BucketRig, objectKey as key, ok, PDF, PNG, startBucketRig } from '../support/files-bucket.ts';
import { repackArchive } from '../support/estate-archive.ts';
import { type ApiClient, setupEstate, startTestServer, type TestServer } from '../support/server.ts';

/**
 * Files that arrive by sync or by an estate import on an instance that keeps uploads in a bucket (server/files/,
 * "Files that arrive"): an office desktop (SQLite, files in its database, in this process) linked to a hosted
 * instance (`klustera serve` on PostgreSQL `pgUrl`, A with an s3rver bucket on 127.0.0.1, C on the same database with a
 * bucket address where nothing listens).
 */
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let rig: BucketRig;
let cloudDb: Knex;
let target: S3Target;
let unreachable: S3Target;
/** Keys of the objects written to and removed from the bucket, in order (s3rver's event notifications). */
const puts: string[] = [];
const removals: string[] = [];
let a: string;
let c: string;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
let unitId: string;
const e = (p: string) => `/estates/${estateId}${p}`;
const desktopDb = () => platformDb(desktop.app);

async function download(client: ApiClient, p: string) {
  const res = await fetch(`${client.baseUrl}/api/v1${p}`, { headers: { cookie: client.cookie ?? '' } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function syncRun() {
  const run = await office.post(e('/sync/run'));
  expect(run.status, run.text).toBe(200);
  return run.body as { ok: boolean; pushed: number; pulled: number; waiting: number; error?: { code: string } };
}

async function syncUntilQuiet() {
  for (let i = 0; i < 4; i++) {
    const run = await syncRun();
    expect(run.ok, JSON.stringify(run)).toBe(true);
    if (run.pushed === 0 && run.pulled === 0 && run.waiting === 0) return;
  }
  throw new Error('sync did not settle');
}

/** A cash payment on the desktop with a proof file attached. */
async function paymentWithProof(client: ApiClient, estate: string, unit: string, content: Buffer, filename: string, type: string) {
  const paid = await ok(
    client.post(`/estates/${estate}/payments`, { unit_id: unit, amount: 50_000, method: 'cash', paid_at: '2026-11-05' }),
  );
  const proof = await ok(client.upload(`/estates/${estate}/payments/${paid.id}/proof`, {}, { file: { filename, content, type } }));
  return { paymentId: paid.id as string, proofId: proof.id as string };
}

async function cloudCount(table: string, where: Record<string, unknown>): Promise<number> {
  return Number((await cloudDb(table).where(where).count({ n: '*' }))[0].n);
}

/** The archive with its manifest changed by `edit`, packed again (the manifest lists sums, it is not signed). */
function withManifest(archive: Buffer, edit: (manifest: { tables: { name: string; rows: number }[] }) => void): Promise<Buffer> {
  return repackArchive(archive, (entries) => {
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    edit(manifest);
    entries.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
  });
}

beforeAll(async () => {
  rig = await startBucketRig('klustera-files-sync-');
  ({ knex: cloudDb, target, unreachable } = rig);
  rig.s3rver.on('event', (event) => {
    for (const record of event.Records) {
      if (record.eventName === 'ObjectCreated:Put') puts.push(record.s3.object.key);
      if (record.eventName === 'ObjectRemoved:Delete') removals.push(record.s3.object.key);
    }
  });
  // One after the other: the first start migrates the empty database.
  a = await rig.serve(target.endpoint);
  c = await rig.serve(unreachable.endpoint);
  cloudAdmin = (await setupEstate(a, 'Pengelola Awan')).client;
  desktop = await startTestServer({ dataDir: rig.tempDir(), liveSync: false, options: { syncDigestIntervalMs: 0 } });
  const own = await setupEstate(desktop.url);
  office = own.client;
  estateId = own.estateId;
  unitId = (await ok(office.post(e('/units'), { code: 'A-12', type: 'rumah', occupancy: 'occupied' }))).id;
  const code = (await ok(cloudAdmin.post('/sync/link-codes'))).code as string;
  await ok(office.post(e('/sync/link'), { cloud_url: a, code }));
  await syncUntilQuiet();
}, 180_000);

afterAll(async () => {
  useFileBucket(null);
  await desktop?.close();
  await rig?.close();
});

describe('files that arrive by sync on an instance with a bucket', () => {
  let proofId: string;
  let paymentId: string;
  let notaId: string;

  it("a desktop's transfer proof and cash-book attachment pushed to the hosted instance land in its bucket", async () => {
    ({ proofId, paymentId } = await paymentWithProof(office, estateId, unitId, PNG, 'bukti.png', 'image/png'));
    const account = await ok(
      office.post(e('/cashbook/accounts'), { name: 'Kas Bendahara', kind: 'cash', opening_balance: 500_000, opening_date: '2026-09-30' }),
    );
    const entry = await ok(
      office.post(e('/cashbook/entries'), {
        account_id: account.id,
        direction: 'out',
        amount: 75_000,
        category: 'repairs',
        entry_date: '2026-11-02',
        description: 'Lampu jalan',
      }),
    );
    notaId = (
      await ok(
        office.upload(
          e(`/cashbook/entries/${entry.id}/attachments`),
          {},
          { file: { filename: 'nota.pdf', content: PDF, type: 'application/pdf' } },
        ),
      )
    ).id;
    // The desktop keeps its files in its database.
    expect(await desktopDb()('payment_proofs').where({ id: proofId }).first('stored_in')).toEqual({ stored_in: 'database' });
    const putsBefore = puts.length;
    await syncUntilQuiet();

    const proof = await cloudDb('payment_proofs').where({ id: proofId }).first();
    expect(proof).toMatchObject({ estate_id: estateId, stored_in: 'bucket', sha256: sha256(PNG), size: PNG.length });
    expect(Buffer.from(proof.data).length).toBe(0);
    const nota = await cloudDb('cashbook_attachments').where({ id: notaId }).first();
    expect(nota).toMatchObject({ stored_in: 'bucket', sha256: sha256(PDF) });
    expect(Buffer.from(nota.content).length).toBe(0);
    expect((await getObject(target, key(estateId, proofId), 1 << 20))?.equals(PNG)).toBe(true);
    expect((await getObject(target, key(estateId, notaId), 1 << 20))?.equals(PDF)).toBe(true);
    expect(puts.slice(putsBefore).sort()).toEqual([key(estateId, proofId), key(estateId, notaId)].sort());

    // Read at the hosted instance with the bytes the office sent.
    const read = await download(cloudAdmin, e(`/payments/${paymentId}/proof`));
    expect([read.status, read.bytes.equals(PNG)]).toEqual([200, true]);
    const notaRead = await download(cloudAdmin, e(`/cashbook/attachments/${notaId}`));
    expect([notaRead.status, notaRead.bytes.equals(PDF)]).toEqual([200, true]);
    // A bucket file and a database file with one hash digest alike, so sync sees both sides equal.
    const [here, hosted] = [await estateDigests(desktopDb(), estateId), await estateDigests(cloudDb, estateId)];
    expect(hosted.payment_proofs).toEqual(here.payment_proofs);
    expect(hosted.cashbook_attachments).toEqual(here.cashbook_attachments);
  });

  it('the same files pushed again, under a new batch and as a replay of it, are not put twice', async () => {
    const link = (await desktopDb()('sync_links').where({ estate_id: estateId }).first()) as { token: string };
    const entries = (await desktopDb()('outbox')
      .where({ estate_id: estateId })
      .whereIn('table_name', ['payment_proofs', 'cashbook_attachments'])
      .select('id', 'table_name', 'row_id', 'op', 'hlc', 'site_id')) as OutboxEntry[];
    const changes = await entriesAsChanges(desktopDb(), estateId, entries, { platformAdminsOutside: false });
    expect(changes.length).toBe(2);
    const push = () =>
      fetch(`${a}/api/v1/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${link.token}` },
        body: JSON.stringify({ batch_id: 'files-again-1', changes }),
      });
    const putsBefore = puts.length;
    const first = await push();
    expect(first.status, await first.clone().text()).toBe(200);
    expect(await first.json()).toMatchObject({ applied: 0, unchanged: 2, replayed: false });
    const again = await push();
    expect(await again.json()).toMatchObject({ replayed: true });
    expect(puts.length).toBe(putsBefore);
    expect(await cloudDb('payment_proofs').where({ id: proofId }).first('stored_in')).toEqual({ stored_in: 'bucket' });
    expect((await download(cloudAdmin, e(`/payments/${paymentId}/proof`))).bytes.equals(PNG)).toBe(true);
  });

  it('bytes that differ from their recorded SHA-256 refuse the batch with 409 FILE_CONTENT_MISMATCH', async () => {
    const link = (await desktopDb()('sync_links').where({ estate_id: estateId }).first()) as { token: string };
    const entry = (await desktopDb()('outbox')
      .where({ estate_id: estateId, table_name: 'payment_proofs', row_id: proofId })
      .first('id', 'table_name', 'row_id', 'op', 'hlc', 'site_id')) as OutboxEntry;
    const [change] = await entriesAsChanges(desktopDb(), estateId, [entry], { platformAdminsOutside: false });
    const forged = { ...change, row: { ...change.row, id: 'forged-proof-1', data: PDF.toString('base64') }, row_id: 'forged-proof-1' };
    const res = await fetch(`${a}/api/v1/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${link.token}` },
      body: JSON.stringify({ batch_id: 'files-forged-1', changes: [forged] }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FILE_CONTENT_MISMATCH');
    expect(await cloudDb('payment_proofs').where({ id: 'forged-proof-1' }).first()).toBeUndefined();
    expect(await getObject(target, key(estateId, 'forged-proof-1'), 1 << 20)).toBeNull();
  });

  it('with the bucket out of reach the push is refused with 503, nothing is written, and the next cycle lands it', async () => {
    await desktopDb()('sync_links').where({ estate_id: estateId }).update({ cloud_url: c });
    const sent = await paymentWithProof(office, estateId, unitId, PDF, 'transfer.pdf', 'application/pdf');
    const before = {
      batches: await cloudCount('sync_batches', { estate_id: estateId }),
      outbox: await cloudCount('outbox', { estate_id: estateId }),
      audit: await cloudCount('audit_log', { estate_id: estateId }),
      puts: puts.length,
    };
    const refused = await syncRun();
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('FILE_STORAGE_UNAVAILABLE');
    expect(refused.waiting).toBeGreaterThan(0);
    expect(await cloudDb('payments').where({ id: sent.paymentId }).first()).toBeUndefined();
    expect(await cloudDb('payment_proofs').where({ id: sent.proofId }).first()).toBeUndefined();
    expect({
      batches: await cloudCount('sync_batches', { estate_id: estateId }),
      outbox: await cloudCount('outbox', { estate_id: estateId }),
      audit: await cloudCount('audit_log', { estate_id: estateId }),
      puts: puts.length,
    }).toEqual(before);
    const status = await ok(office.get(e('/sync')));
    expect(status.last_error.code).toBe('FILE_STORAGE_UNAVAILABLE');

    await desktopDb()('sync_links').where({ estate_id: estateId }).update({ cloud_url: a });
    await syncUntilQuiet();
    expect(await cloudDb('payment_proofs').where({ id: sent.proofId }).first('stored_in', 'sha256')).toEqual({
      stored_in: 'bucket',
      sha256: sha256(PDF),
    });
    expect(puts.slice(before.puts)).toEqual([key(estateId, sent.proofId)]);
    expect((await download(cloudAdmin, e(`/payments/${sent.paymentId}/proof`))).bytes.equals(PDF)).toBe(true);
  });

  it("a file the hosted instance keeps in its bucket reaches the desktop's database with its bytes", async () => {
    const there = await paymentWithProof(cloudAdmin, estateId, unitId, PNG, 'dari-awan.png', 'image/png');
    expect(await cloudDb('payment_proofs').where({ id: there.proofId }).first('stored_in')).toEqual({ stored_in: 'bucket' });
    await syncUntilQuiet();
    const row = await desktopDb()('payment_proofs').where({ id: there.proofId }).first();
    expect(row).toMatchObject({ stored_in: 'database', sha256: sha256(PNG) });
    expect(Buffer.from(row.data).equals(PNG)).toBe(true);
    expect((await download(office, e(`/payments/${there.paymentId}/proof`))).bytes.equals(PNG)).toBe(true);
  });

  it('a pulling site with a bucket out of reach keeps its cursor and writes nothing; with the bucket the page lands there', async () => {
    const there = await paymentWithProof(cloudAdmin, estateId, unitId, PDF, 'dari-awan.pdf', 'application/pdf');
    const cursor = async () =>
      ((await desktopDb()('sync_links').where({ estate_id: estateId }).first('pull_cursor')) as { pull_cursor: string }).pull_cursor;
    const before = await cursor();
    // The desktop in this process, as if started with a bucket (a self-hosted server that pulls).
    useFileBucket(unreachable);
    try {
      const refused = await syncRun();
      expect(refused.ok).toBe(false);
      expect(refused.error?.code).toBe('FILE_STORAGE_UNAVAILABLE');
      expect(await cursor()).toBe(before);
      expect(await desktopDb()('payments').where({ id: there.paymentId }).first()).toBeUndefined();
      expect(await desktopDb()('payment_proofs').where({ id: there.proofId }).first()).toBeUndefined();

      useFileBucket(target);
      const putsBefore = puts.length;
      await syncUntilQuiet();
      expect(await cursor()).not.toBe(before);
      const row = await desktopDb()('payment_proofs').where({ id: there.proofId }).first();
      expect(row).toMatchObject({ stored_in: 'bucket', sha256: sha256(PDF) });
      expect(Buffer.from(row.data).length).toBe(0);
      expect(puts.slice(putsBefore)).toEqual([key(estateId, there.proofId)]);
      expect((await download(office, e(`/payments/${there.paymentId}/proof`))).bytes.equals(PDF)).toBe(true);
    } finally {
      useFileBucket(null);
    }
  });
});

describe('an estate archive imported into an instance with a bucket', () => {
  it('is refused whole while the bucket is out of reach, then imported with its files in the bucket', async () => {
    // A second estate of the office, with a proof and a cash-book attachment in its database.
    const moved = (await ok(office.post('/estates', { name: 'Perumahan Taman Sari', timezone: 'Asia/Jakarta' }))).id as string;
    const unit = (await ok(office.post(`/estates/${moved}/units`, { code: 'B-01', type: 'rumah', occupancy: 'occupied' }))).id;
    const proof = await paymentWithProof(office, moved, unit, PNG, 'bukti.png', 'image/png');
    const account = await ok(
      office.post(`/estates/${moved}/cashbook/accounts`, {
        name: 'Kas',
        kind: 'cash',
        opening_balance: 100_000,
        opening_date: '2026-09-30',
      }),
    );
    const entry = await ok(
      office.post(`/estates/${moved}/cashbook/entries`, {
        account_id: account.id,
        direction: 'out',
        amount: 20_000,
        category: 'repairs',
        entry_date: '2026-11-02',
        description: 'Sapu',
      }),
    );
    const nota = (
      await ok(
        office.upload(
          `/estates/${moved}/cashbook/entries/${entry.id}/attachments`,
          {},
          {
            file: { filename: 'nota.pdf', content: PDF, type: 'application/pdf' },
          },
        ),
      )
    ).id as string;
    const exported = await download(office, `/estates/${moved}/export`);
    expect(exported.status).toBe(200);
    const post = (url: string, archive: Buffer = exported.bytes) =>
      fetch(`${url}/api/v1/platform/estates/import`, {
        method: 'POST',
        headers: { cookie: cloudAdmin.cookie ?? '', 'x-csrf-token': cloudAdmin.csrf ?? '', 'content-type': 'application/gzip' },
        body: new Uint8Array(archive),
      });

    const putsBefore = puts.length;
    const refused = await post(c);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FILE_STORAGE_UNAVAILABLE');
    expect(await cloudDb('estates').where({ id: moved }).first()).toBeUndefined();
    expect(await cloudCount('payment_proofs', { estate_id: moved })).toBe(0);
    expect(puts.length).toBe(putsBefore);

    // Refused after its files were put (the last table holds fewer rows than its manifest says): they are removed.
    const shortTable = await withManifest(exported.bytes, (manifest) => {
      manifest.tables[manifest.tables.length - 1].rows += 1;
    });
    const tampered = await post(a, shortTable);
    expect(tampered.status).toBe(422);
    expect(((await tampered.json()) as { error: { code: string } }).error.code).toBe('ARCHIVE_TAMPERED');
    const putThen = [key(moved, proof.proofId), key(moved, nota)].sort();
    expect(puts.slice(putsBefore).sort()).toEqual(putThen);
    expect([...removals].sort()).toEqual(putThen);
    expect(await getObject(target, key(moved, proof.proofId), 1 << 20)).toBeNull();
    expect(await cloudDb('estates').where({ id: moved }).first()).toBeUndefined();

    const putsAtImport = puts.length;
    const imported = await post(a);
    expect(imported.status, imported.status === 201 ? '' : await imported.text()).toBe(201);
    const proofRow = await cloudDb('payment_proofs').where({ id: proof.proofId }).first();
    expect(proofRow).toMatchObject({ estate_id: moved, stored_in: 'bucket', sha256: sha256(PNG) });
    expect(Buffer.from(proofRow.data).length).toBe(0);
    const notaRow = await cloudDb('cashbook_attachments').where({ id: nota }).first();
    expect(notaRow).toMatchObject({ stored_in: 'bucket', sha256: sha256(PDF) });
    expect(Buffer.from(notaRow.content).length).toBe(0);
    expect(puts.slice(putsAtImport).sort()).toEqual(putThen);
    expect((await download(cloudAdmin, `/estates/${moved}/payments/${proof.paymentId}/proof`)).bytes.equals(PNG)).toBe(true);
    expect((await download(cloudAdmin, `/estates/${moved}/cashbook/attachments/${nota}`)).bytes.equals(PDF)).toBe(true);
  });
});
