import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { platformDb } from '../../server/sync/platform-db.ts';
import { apiClient, type ApiClient, type TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * One payment per transfer proof across sites: a resident files a proof in the hosted portal (PostgreSQL, `pgUrl`);
 * while the office desktop (SQLite) and the hosted instance are apart the treasurer reviews it on both. Proofs are
 * reviewed on the estate's home site (the linked desktop, where the cash book is kept): the hosted instance refuses
 * with 409 PROOF_REVIEW_ELSEWHERE and writes nothing, so after sync there is one payment, the invoice reads the same
 * on both sides and sync settles instead of being refused on every cycle.
 */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');

let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let resident: ApiClient;
let estateId: string;
let unitId: string;
let invoiceId: string;
const e = (p: string) => `/estates/${estateId}${p}`;
const db = (server: TestServer) => platformDb(server.app);

async function syncUntilQuiet() {
  for (let i = 0; i < 4; i++) {
    const run = await office.post(e('/sync/run'));
    expect(run.status, run.text).toBe(200);
    expect(run.body.ok, run.text).toBe(true);
    if (run.body.pushed === 0 && run.body.pulled === 0 && run.body.waiting === 0) return;
  }
  throw new Error('sync did not settle');
}

async function count(server: TestServer, table: string) {
  return Number(((await db(server)(table).where({ estate_id: estateId }).count({ n: '*' }).first()) as { n: unknown }).n);
}

async function sendProof(amount: number): Promise<string> {
  const sent = await resident.upload(
    e('/portal/transfer-proofs'),
    { amount: String(amount), paid_at: '2026-11-04', reference: 'BCA 77' },
    { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } },
  );
  expect(sent.status, sent.text).toBe(201);
  return sent.body.id as string;
}

async function invoiceSeenBy(client: ApiClient) {
  const inv = (await client.get(e(`/invoices/${invoiceId}`))).body;
  const balance = (await client.get(e(`/units/${unitId}/balance`))).body;
  return { status: inv.status, paid: inv.paid, outstanding: balance.outstanding, credit: balance.credit };
}

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, office, estateId } = sites);
  unitId = (await office.post(e('/units'), { code: 'T-1', occupancy: 'occupied' })).body.id;
  const charge = await office.post(e('/charges'), {
    name: 'Iuran November',
    amount: 150_000,
    period: '2026-11',
    due_date: '2026-11-20',
    unit_ids: [unitId],
  });
  expect(charge.status, charge.text).toBe(201);
  invoiceId = (await office.get(e(`/invoices?unit_id=${unitId}`))).body.items[0].id;
  const residentId = (await office.post(e('/residents'), { name: 'Pak Budi', unit_id: unitId, relation: 'owner' })).body.id;
  const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
  const linked = await office.post(e('/sync/link'), { cloud_url: cloud.url, code });
  expect(linked.status, linked.text).toBe(201);
  await syncUntilQuiet();
  // Accounts do not travel: the resident's account is made on the hosted instance for the synced resident record.
  const made = await cloudAdmin.post(e('/users'), {
    name: 'Pak Budi',
    email: 'budi@uji.id',
    role: 'resident',
    password: 'rahasia-warga-1',
    resident_id: residentId,
  });
  expect(made.status, made.text).toBe(201);
  resident = apiClient(cloud.url);
  expect((await resident.post('/auth/login', { login: 'budi@uji.id', password: 'rahasia-warga-1' })).status).toBe(200);
}, 120_000);
afterAll(() => sites?.close());

describe('a transfer proof reviewed on both sites while they are apart', () => {
  it('verified on both: the hosted instance refuses, the desktop pays once, and both sides agree after sync', async () => {
    const proof = await sendProof(150_000);
    await syncUntilQuiet();

    // Apart: no sync between the two reviews.
    const before = { payments: await count(cloud, 'payments'), outbox: await count(cloud, 'outbox') };
    const there = await cloudAdmin.post(e(`/transfer-proofs/${proof}/verify`), {});
    expect(there.status, there.text).toBe(409);
    expect(there.body.error.code).toBe('PROOF_REVIEW_ELSEWHERE');
    expect(there.body.error.message).toContain('komputer kantor');
    const english = await cloudAdmin.post(e(`/transfer-proofs/${proof}/verify`), {}, { 'accept-language': 'en' });
    expect(english.body.error.message).toBe(
      "This estate's transfer proofs are reviewed on the linked office desktop, where the cash book is kept. Approve or reject them there.",
    );
    expect({ payments: await count(cloud, 'payments'), outbox: await count(cloud, 'outbox') }).toEqual(before);
    const here = await office.post(e(`/transfer-proofs/${proof}/verify`), {});
    expect(here.status, here.text).toBe(200);

    await syncUntilQuiet();
    for (const server of [desktop, cloud]) {
      const payments = await db(server)('payments').where({ estate_id: estateId, submission_id: proof });
      expect(payments.map((p) => p.id)).toEqual([here.body.payment.id]);
      expect((await db(server)('payment_submissions').where({ id: proof }).first()).status).toBe('verified');
    }
    const onDesktop = await invoiceSeenBy(office);
    expect(onDesktop).toEqual({ status: 'paid', paid: 150_000, outstanding: 0, credit: 0 });
    expect(await invoiceSeenBy(cloudAdmin)).toEqual(onDesktop);
    // The resident sees the receipt in the hosted portal.
    const mine = await resident.get(e('/portal/transfer-proofs'));
    expect(mine.body.items.find((s: { id: string }) => s.id === proof)).toMatchObject({
      status: 'verified',
      payment_id: here.body.payment.id,
    });
  });

  it('rejected on one side and verified on the other: the home site decides, whichever side answers first', async () => {
    const rejectHere = await sendProof(50_000);
    const verifyHere = await sendProof(60_000);
    await syncUntilQuiet();

    const cloudVerify = await cloudAdmin.post(e(`/transfer-proofs/${rejectHere}/verify`), {});
    const cloudReject = await cloudAdmin.post(e(`/transfer-proofs/${verifyHere}/reject`), { reason: 'Tidak ada di mutasi' });
    for (const res of [cloudVerify, cloudReject]) {
      expect(res.status, res.text).toBe(409);
      expect(res.body.error.code).toBe('PROOF_REVIEW_ELSEWHERE');
    }
    expect((await office.post(e(`/transfer-proofs/${rejectHere}/reject`), { reason: 'Tidak ada di mutasi' })).status).toBe(200);
    expect((await office.post(e(`/transfer-proofs/${verifyHere}/verify`), {})).status).toBe(200);

    await syncUntilQuiet();
    for (const server of [desktop, cloud]) {
      const statuses = await db(server)('payment_submissions').whereIn('id', [rejectHere, verifyHere]).orderBy('amount');
      expect(statuses.map((s) => [s.id, s.status])).toEqual([
        [rejectHere, 'rejected'],
        [verifyHere, 'verified'],
      ]);
      expect(await db(server)('payments').where({ estate_id: estateId, submission_id: rejectHere })).toHaveLength(0);
      expect(await db(server)('payments').where({ estate_id: estateId, submission_id: verifyHere })).toHaveLength(1);
    }
    expect(await invoiceSeenBy(cloudAdmin)).toEqual(await invoiceSeenBy(office));
    const status = await office.get(e('/sync'));
    expect(status.body).toMatchObject({ waiting: 0, last_error: null });
  });

  it('after unlinking, the hosted instance is home and reviews proofs itself', async () => {
    const proof = await sendProof(25_000);
    await syncUntilQuiet();
    const unlinked = await office.delete(e('/sync/link'));
    expect(unlinked.status, unlinked.text).toBeLessThan(300);
    const verified = await cloudAdmin.post(e(`/transfer-proofs/${proof}/verify`), {});
    expect(verified.status, verified.text).toBe(200);
  });
});
