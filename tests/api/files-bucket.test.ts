import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFileBucket } from '../../server/files/index.ts';
import { deleteObject, getObject, putObject, type S3Target } from '../../server/object-storage/index.ts';
import { entriesAsChanges, type OutboxEntry } from '../../server/sync/change-log.ts';
import { estateDigests } from '../../server/sync/digests.ts';
import { type BucketRig, objectKey as key, ok, PDF, PNG, sameBrowserOn as on, startBucketRig } from '../support/files-bucket.ts';
import { archiveEntries } from '../support/estate-archive.ts';
import { type ApiClient, apiClient, setupEstate, userWithRole } from '../support/server.ts';

/**
 * Uploaded files in an S3-compatible bucket (server/files/): real `klustera serve` processes on one PostgreSQL
 * (`pgUrl`), A and B sharing an s3rver bucket on 127.0.0.1, C given a bucket address where nothing listens.
 */
let rig: BucketRig;
let knex: Knex;
let target: S3Target;
let a: string;
let b: string;
let c: string;
let estateId: string;
let otherEstateId: string;
let admin: ApiClient;
let treasurerOnA: ApiClient;
let resident: ApiClient;
let unitId: string;

async function download(url: string, client: ApiClient, p: string) {
  const res = await fetch(`${url}/api/v1${p}`, { headers: { cookie: client.cookie ?? '' } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, type: res.headers.get('content-type'), json: () => JSON.parse(bytes.toString('utf8')) };
}

beforeAll(async () => {
  rig = await startBucketRig('klustera-files-');
  ({ knex, target } = rig);
  // One after the other: the first start migrates the empty database.
  a = await rig.serve(target.endpoint);
  b = await rig.serve(target.endpoint);
  c = await rig.serve(rig.unreachable.endpoint);
  const setup = await setupEstate(a);
  admin = setup.client;
  estateId = setup.estateId;
  const base = `/estates/${estateId}`;
  unitId = (await ok(admin.post(`${base}/units`, { code: 'A-12', type: 'rumah', occupancy: 'occupied' }))).id;
  const record = await ok(
    admin.post(`${base}/residents`, { name: 'Budi Santoso', unit_id: unitId, relation: 'owner', phone: '081234567890' }),
  );
  await ok(
    admin.post(`${base}/users`, {
      name: 'Budi',
      email: 'budi@griya-asri.id',
      role: 'resident',
      password: 'rahasia-budi-1',
      resident_id: record.id,
    }),
  );
  resident = apiClient(a);
  await ok(resident.post('/auth/login', { login: 'budi@griya-asri.id', password: 'rahasia-budi-1' }));
  treasurerOnA = (await userWithRole(a, admin, estateId, 'treasurer')).client;
  otherEstateId = (await ok(admin.post('/estates', { name: 'Perumahan Taman Sari', timezone: 'Asia/Jakarta' }))).id;
}, 180_000);

afterAll(async () => {
  await rig?.close();
});

describe('uploaded files in an S3-compatible bucket', () => {
  let submissionId: string;

  it('a proof a resident uploads through A is read by the treasurer through B, and its bytes are in the bucket only', async () => {
    const sent = await ok(
      resident.upload(
        `/estates/${estateId}/portal/transfer-proofs`,
        { amount: '150000', paid_at: '2026-11-06', reference: 'BCA 1' },
        { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } },
      ),
    );
    submissionId = sent.id;
    const row = await knex('payment_proofs').where({ owner_table: 'payment_submissions', owner_id: submissionId }).first();
    expect(row).toMatchObject({ estate_id: estateId, stored_in: 'bucket', size: PNG.length });
    expect(Buffer.from(row.data).length).toBe(0);
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await getObject(target, key(estateId, row.id), 1 << 20))?.equals(PNG)).toBe(true);

    const read = await download(b, treasurerOnA, `/estates/${estateId}/transfer-proofs/${submissionId}/proof`);
    expect(read.status).toBe(200);
    expect(read.type).toContain('image/png');
    expect(read.bytes.equals(PNG)).toBe(true);
    const own = await download(b, resident, `/estates/${estateId}/portal/transfer-proofs/${submissionId}/proof`);
    expect(own.bytes.equals(PNG)).toBe(true);
  });

  it("verifying the proof on B gives the payment its own copy, under the estate's prefix", async () => {
    const verified = await ok(on(b, treasurerOnA).post(`/estates/${estateId}/transfer-proofs/${submissionId}/verify`, {}));
    const paymentId = verified.payment.id;
    const proof = await knex('payment_proofs').where({ owner_table: 'payments', owner_id: paymentId }).first();
    expect(proof.stored_in).toBe('bucket');
    expect((await getObject(target, key(estateId, proof.id), 1 << 20))?.equals(PNG)).toBe(true);
    const read = await download(a, treasurerOnA, `/estates/${estateId}/payments/${paymentId}/proof`);
    expect(read.status).toBe(200);
    expect(read.bytes.equals(PNG)).toBe(true);
  });

  it('cash-book and announcement attachments uploaded through A are in the bucket and read through B', async () => {
    const cb = `/estates/${estateId}/cashbook`;
    const account = await ok(
      admin.post(`${cb}/accounts`, { name: 'Kas Bendahara', kind: 'cash', opening_balance: 500_000, opening_date: '2026-09-30' }),
    );
    const entry = await ok(
      admin.post(`${cb}/entries`, {
        account_id: account.id,
        direction: 'out',
        amount: 75_000,
        category: 'repairs',
        entry_date: '2026-11-02',
        description: 'Lampu jalan',
      }),
    );
    const nota = await ok(
      admin.upload(`${cb}/entries/${entry.id}/attachments`, {}, { file: { filename: 'nota.pdf', content: PDF, type: 'application/pdf' } }),
    );
    expect(nota.stored_in).toBeUndefined();
    expect(await knex('cashbook_attachments').where({ id: nota.id }).first('stored_in')).toEqual({ stored_in: 'bucket' });
    expect((await getObject(target, key(estateId, nota.id), 1 << 20))?.equals(PDF)).toBe(true);
    const notaRead = await download(b, treasurerOnA, `${cb}/attachments/${nota.id}`);
    expect([notaRead.status, notaRead.bytes.equals(PDF)]).toEqual([200, true]);

    const draft = await ok(admin.post(`/estates/${estateId}/announcements`, { title: 'Peta', body_html: '<p>Lihat peta</p>' }));
    const map = await ok(
      admin.upload(
        `/estates/${estateId}/announcements/${draft.id}/attachments`,
        {},
        { file: { filename: 'peta.png', content: PNG, type: 'image/png' } },
      ),
    );
    expect(await knex('announcement_attachments').where({ id: map.id }).first('stored_in', 'sha256')).toMatchObject({
      stored_in: 'bucket',
    });
    expect((await getObject(target, key(estateId, map.id), 1 << 20))?.equals(PNG)).toBe(true);
    const mapRead = await download(b, admin, `/estates/${estateId}/announcements/${draft.id}/attachments/${map.id}`);
    expect([mapRead.status, mapRead.bytes.equals(PNG)]).toEqual([200, true]);
  });

  it('with the bucket unreachable an upload answers 503 FILE_STORAGE_UNAVAILABLE and writes nothing', async () => {
    const count = async (table: string) => Number((await knex(table).where({ estate_id: estateId }).count({ n: '*' }))[0].n);
    const before = {
      submissions: await count('payment_submissions'),
      proofs: await count('payment_proofs'),
      outbox: await count('outbox'),
    };
    const res = await on(c, resident).upload(
      `/estates/${estateId}/portal/transfer-proofs`,
      { amount: '150000', paid_at: '2026-11-07', reference: 'BCA 2' },
      { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } },
    );
    expect(res.status, res.text).toBe(503);
    expect(res.body.error.code).toBe('FILE_STORAGE_UNAVAILABLE');
    const paid = await ok(
      admin.post(`/estates/${estateId}/payments`, { unit_id: unitId, amount: 50_000, method: 'cash', paid_at: '2026-11-05' }),
    );
    const afterPayment = { proofs: await count('payment_proofs'), outbox: await count('outbox') };
    const attach = await on(c, admin).upload(
      `/estates/${estateId}/payments/${paid.id}/proof`,
      {},
      { file: { filename: 'nota.pdf', content: PDF, type: 'application/pdf' } },
    );
    expect(attach.status, attach.text).toBe(503);
    expect(attach.body.error.code).toBe('FILE_STORAGE_UNAVAILABLE');
    expect(await count('payment_submissions')).toBe(before.submissions);
    expect(await count('payment_proofs')).toBe(afterPayment.proofs);
    expect(await count('outbox')).toBe(afterPayment.outbox);
    expect(afterPayment.proofs).toBe(before.proofs);
    // Reading a file kept in the bucket through C: the same clear answer, not a 5xx of the server's own making.
    const read = await download(c, treasurerOnA, `/estates/${estateId}/transfer-proofs/${submissionId}/proof`);
    expect(read.status).toBe(503);
    expect(read.json().error.code).toBe('FILE_STORAGE_UNAVAILABLE');
  });

  it("another estate's file is 404 through this estate's routes, and its object sits under its own estate", async () => {
    const other = `/estates/${otherEstateId}`;
    const otherUnit = (await ok(admin.post(`${other}/units`, { code: 'B-01', type: 'rumah', occupancy: 'occupied' }))).id;
    const paid = await ok(admin.post(`${other}/payments`, { unit_id: otherUnit, amount: 75_000, method: 'cash', paid_at: '2026-11-05' }));
    const proof = await ok(
      admin.upload(`${other}/payments/${paid.id}/proof`, {}, { file: { filename: 'nota.pdf', content: PDF, type: 'application/pdf' } }),
    );
    expect((await getObject(target, key(otherEstateId, proof.id), 1 << 20))?.equals(PDF)).toBe(true);
    expect(await getObject(target, key(estateId, proof.id), 1 << 20)).toBeNull();

    const crossed = await download(b, treasurerOnA, `/estates/${estateId}/payments/${paid.id}/proof`);
    expect(crossed.status).toBe(404);
    expect(crossed.bytes.includes(PDF)).toBe(false);
    const asAdmin = await download(b, admin, `/estates/${estateId}/payments/${paid.id}/proof`);
    expect(asAdmin.status).toBe(404);
    // The treasurer of the first estate is no member of the other.
    expect((await download(b, treasurerOnA, `${other}/payments/${paid.id}/proof`)).status).toBe(404);
    expect((await download(b, admin, `${other}/payments/${paid.id}/proof`)).bytes.equals(PDF)).toBe(true);
  });

  it('a missing object answers 404 FILE_CONTENT_MISSING and altered bytes 409 FILE_CONTENT_MISMATCH', async () => {
    const paid = await ok(
      admin.post(`/estates/${estateId}/payments`, { unit_id: unitId, amount: 20_000, method: 'cash', paid_at: '2026-11-05' }),
    );
    const proof = await ok(
      admin.upload(
        `/estates/${estateId}/payments/${paid.id}/proof`,
        {},
        { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } },
      ),
    );
    const objectKey = key(estateId, proof.id);
    await putObject(target, objectKey, PDF);
    const altered = await download(b, treasurerOnA, `/estates/${estateId}/payments/${paid.id}/proof`);
    expect(altered.status).toBe(409);
    expect(altered.json().error.code).toBe('FILE_CONTENT_MISMATCH');
    await deleteObject(target, objectKey);
    const missing = await download(a, treasurerOnA, `/estates/${estateId}/payments/${paid.id}/proof`);
    expect(missing.status).toBe(404);
    expect(missing.json().error.code).toBe('FILE_CONTENT_MISSING');
    // Put back, for the export below.
    await putObject(target, objectKey, PNG);
  });

  it('sync carries the bytes of a bucket file, and digests see it as equal to the same file kept in a database', async () => {
    // What the hosted instance's pull answers, built here with the same bucket the processes use.
    useFileBucket(target);
    try {
      const entries = (await knex('outbox')
        .where({ estate_id: estateId, table_name: 'payment_proofs' })
        .select('id', 'table_name', 'row_id', 'op', 'hlc', 'site_id')) as OutboxEntry[];
      const changes = await entriesAsChanges(knex, estateId, entries, { platformAdminsOutside: true });
      const proofs = changes.filter((change) => change.table === 'payment_proofs');
      expect(proofs.length).toBe(3);
      for (const change of proofs) {
        expect(change.row.stored_in).toBeUndefined();
        expect(Buffer.from(String(change.row.data), 'base64').equals(PNG)).toBe(true);
      }
      // The same rows with their bytes in the row, as an office desktop holds them after the pull.
      const before = (await estateDigests(knex, estateId)).payment_proofs;
      const rows = await knex('payment_proofs').where({ estate_id: estateId });
      const asOffice = rows.map((row) => ({ ...row, data: PNG, stored_in: 'database' }));
      let asOfficeDigest: unknown;
      const trx = await knex.transaction();
      try {
        for (const row of asOffice) await trx('payment_proofs').where({ id: row.id }).update({ data: row.data, stored_in: row.stored_in });
        asOfficeDigest = (await estateDigests(trx, estateId)).payment_proofs;
      } finally {
        await trx.rollback();
      }
      expect(asOfficeDigest).toEqual(before);
      expect((await knex('payment_proofs').where({ estate_id: estateId, stored_in: 'bucket' })).length).toBe(3);
    } finally {
      useFileBucket(null);
    }
  });

  it("the estate's export carries the bytes of files kept in the bucket, as files of the archive", async () => {
    const res = await fetch(`${b}/api/v1/estates/${estateId}/export`, { headers: { cookie: admin.cookie ?? '' } });
    expect(res.status, res.status === 200 ? '' : await res.text()).toBe(200);
    const entries = await archiveEntries(Buffer.from(await res.arrayBuffer()));
    const proofsEntry = [...entries.keys()].find((name) => name.endsWith('payment_proofs.jsonl'));
    expect(proofsEntry).toBeDefined();
    const rows = entries
      .get(proofsEntry!)!
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.length).toBe(3);
    for (const row of rows) {
      expect(row.stored_in).toBe('database');
      const bytes = entries.get(row.data.$file);
      expect(bytes?.length).toBe(row.size);
      expect(bytes?.equals(PNG)).toBe(true);
    }
  });
});
