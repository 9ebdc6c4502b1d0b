import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';

/**
 * The office's review queue for residents' transfer proofs (bukti transfer), on SQLite and PostgreSQL (`pgUrl`):
 * oldest first, approve with what really arrived, reject with a reason, the file only to whoever may see it, and
 * the resident reading the outcome.
 */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

describe.each(['sqlite', 'postgres'] as const)('transfer proof review on %s', (backendName) => {
  let server: TestServer;
  let database: TestDatabase | undefined;
  let admin: ApiClient;
  let estateId: string;
  let unitId: string;
  let residentA: Awaited<ReturnType<typeof userWithRole>>;
  let residentB: Awaited<ReturnType<typeof userWithRole>>;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const send = (who: ApiClient, amount: string, paidAt: string, file = { filename: 'bukti.png', content: PNG, type: 'image/png' }) =>
    who.upload(e('/portal/transfer-proofs'), { amount, paid_at: paidAt, reference: 'BCA 77' }, { file });
  const counts = async () => {
    const k = server.db.knex;
    const n = async (t: string) => Number((await k(t).count({ n: '*' }))[0].n);
    return { payments: await n('payments'), submissions: await n('payment_submissions'), audit: await n('audit_log') };
  };

  beforeAll(async () => {
    if (backendName === 'postgres') {
      database = await createTestDatabase(inject('pgUrl'));
      server = await startTestServer({ databaseUrl: database.url });
    } else {
      server = await startTestServer();
    }
    const setup = await setupEstate(server.url);
    admin = setup.client;
    estateId = setup.estateId;
    const unit = await admin.post(e('/units'), { code: 'B-7', type: 'rumah', occupancy: 'occupied' });
    unitId = unit.body.id;
    const charge = await admin.post(e('/charges'), {
      name: 'Iuran November',
      amount: 150_000,
      period: '2026-11',
      due_date: '2026-11-20',
      unit_ids: [unitId],
    });
    expect(charge.status, charge.text).toBe(201);
    const a = await admin.post(e('/residents'), { name: 'Pak Budi', unit_id: unitId, relation: 'owner' });
    const b = await admin.post(e('/residents'), { name: 'Bu Sari', unit_id: unitId, relation: 'tenant' });
    residentA = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: a.body.id });
    residentB = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: b.body.id });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('lists pending proofs oldest first with the sender and the count; approving records what arrived, on the transfer date, with a receipt', async () => {
    const first = await send(residentA.client, '150000', '2026-11-03');
    const second = await send(residentB.client, '50000', '2026-11-04');
    expect([first.status, second.status]).toEqual([201, 201]);
    const queue = await admin.get(e('/transfer-proofs?status=pending'));
    expect(queue.status, queue.text).toBe(200);
    expect(queue.body.items.map((s: { id: string }) => s.id)).toEqual([first.body.id, second.body.id]);
    expect(queue.body.items[0]).toMatchObject({
      unit_code: 'B-7',
      resident_name: 'Pak Budi',
      amount: 150_000,
      status: 'pending',
      reviewed_by_name: null,
    });
    expect(queue.body.pending_count).toBe(2);

    // The bank shows 140,000 on the 5th: the payment records that, not the claim.
    const approved = await admin.post(e(`/transfer-proofs/${first.body.id}/verify`), { amount: 140_000, paid_at: '2026-11-05' });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.payment).toMatchObject({ amount: 140_000, source: 'portal', unit_id: unitId, payer_name: 'Pak Budi' });
    expect(approved.body.payment.paid_at.slice(0, 10) >= '2026-11-04' && approved.body.payment.paid_at.slice(0, 10) <= '2026-11-05').toBe(
      true,
    );
    expect(approved.body.submission).toMatchObject({
      status: 'verified',
      reviewed_by_name: 'Ibu Ketua',
      payment_id: approved.body.payment.id,
    });
    expect(approved.body.payment.allocations).toEqual([expect.objectContaining({ amount: 140_000 })]);
    const receipt = await residentA.client.get(e(`/portal/payments/${approved.body.payment.id}/receipt.pdf`));
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');

    const after = await admin.get(e('/transfer-proofs?status=pending'));
    expect(after.body.items.map((s: { id: string }) => s.id)).toEqual([second.body.id]);
    expect(after.body.pending_count).toBe(1);
    const decided = await admin.get(e('/transfer-proofs?status=verified'));
    expect(decided.body.items.map((s: { id: string }) => s.id)).toContain(first.body.id);
  });

  it('an approve with a bad amount or date writes nothing', async () => {
    const sent = await send(residentA.client, '10000', '2026-11-06');
    const before = await counts();
    for (const body of [
      { amount: 0 },
      { amount: 1.5 },
      { amount: -5 },
      { amount: '10000' },
      { paid_at: 'kemarin sore' },
      { paid_at: '2026-11-06\u0000' },
      { extra: 1 },
    ]) {
      const res = await admin.post(e(`/transfer-proofs/${sent.body.id}/verify`), body);
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
    }
    expect(await counts()).toEqual(before);
    expect((await admin.get(e('/transfer-proofs?status=pending'))).body.items.map((s: { id: string }) => s.id)).toContain(sent.body.id);
  });

  it('rejecting needs a short reason without NUL, records who and when, and cannot be decided again', async () => {
    const sent = await send(residentB.client, '75000', '2026-11-07');
    const before = await counts();
    expect((await admin.post(e(`/transfer-proofs/${sent.body.id}/reject`), {})).status).toBe(400);
    expect((await admin.post(e(`/transfer-proofs/${sent.body.id}/reject`), { reason: '   ' })).status).toBe(400);
    const long = await admin.post(e(`/transfer-proofs/${sent.body.id}/reject`), { reason: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    const nul = await admin.post(e(`/transfer-proofs/${sent.body.id}/reject`), { reason: 'Dana\u0000 tidak masuk' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.code).toBe('NUL_BYTE');
    expect(await counts()).toEqual(before);

    const rejected = await admin.post(e(`/transfer-proofs/${sent.body.id}/reject`), { reason: 'Dana belum masuk ke rekening' });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      review_reason: 'Dana belum masuk ke rekening',
      reviewed_by_name: 'Ibu Ketua',
    });
    expect(rejected.body.reviewed_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    for (const again of [
      admin.post(e(`/transfer-proofs/${sent.body.id}/reject`), { reason: 'lagi' }),
      admin.post(e(`/transfer-proofs/${sent.body.id}/verify`), {}),
    ]) {
      const res = await again;
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('ALREADY_REVIEWED');
    }
    const mine = await residentB.client.get(e('/portal/transfer-proofs'));
    expect(mine.body.items.find((s: { id: string }) => s.id === sent.body.id)).toMatchObject({
      status: 'rejected',
      review_reason: 'Dana belum masuk ke rekening',
    });
  });

  it('approve racing reject: exactly one decision stands', async () => {
    const sent = await send(residentA.client, '20000', '2026-11-08');
    const race = await Promise.all([
      admin.post(e(`/transfer-proofs/${sent.body.id}/verify`), {}),
      admin.post(e(`/transfer-proofs/${sent.body.id}/reject`), { reason: 'Duplikat' }),
      admin.post(e(`/transfer-proofs/${sent.body.id}/reject`), { reason: 'Duplikat' }),
      admin.post(e(`/transfer-proofs/${sent.body.id}/verify`), {}),
    ]);
    expect(race.filter((r) => r.status >= 500)).toEqual([]);
    expect(race.filter((r) => r.status === 200)).toHaveLength(1);
    expect(race.filter((r) => r.status === 409)).toHaveLength(3);
    const payments = Number((await server.db.knex('payments').where({ submission_id: sent.body.id }).count({ n: '*' }))[0].n);
    const row = await server.db.knex('payment_submissions').where({ id: sent.body.id }).first();
    expect(payments).toBe(row.status === 'verified' ? 1 : 0);
  });

  it('serves the proof inline, unsniffable, to the office and the sender only; script-bearing files are refused at upload', async () => {
    const svg = await send(residentA.client, '1000', '2026-11-09', { filename: 'bukti.svg', content: SVG, type: 'image/svg+xml' });
    expect(svg.status).toBe(400);
    expect(svg.body.error.code).toBe('INVALID_PROOF');
    const html = await send(residentA.client, '1000', '2026-11-09', {
      filename: 'bukti.png',
      content: Buffer.from('<html><script>alert(1)</script></html>'),
      type: 'image/png',
    });
    expect(html.status).toBe(400);

    const sent = await send(residentA.client, '30000', '2026-11-09');
    const office = await admin.get(e(`/transfer-proofs/${sent.body.id}/proof`));
    expect(office.status).toBe(200);
    expect(office.headers.get('content-type')).toBe('image/png');
    expect(office.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(office.headers.get('x-content-type-options')).toBe('nosniff');
    const own = await residentA.client.get(e(`/portal/transfer-proofs/${sent.body.id}/proof`));
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/png');
    expect(own.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
    // Someone else in the same unit does not read it.
    expect((await residentB.client.get(e(`/portal/transfer-proofs/${sent.body.id}/proof`))).status).toBe(404);
    const staff = await userWithRole(server.url, admin, estateId, 'staff');
    const guard = await userWithRole(server.url, admin, estateId, 'guard');
    for (const who of [staff.client, guard.client]) {
      expect((await who.get(e(`/transfer-proofs/${sent.body.id}/proof`))).status).toBe(403);
      expect((await who.post(e(`/transfer-proofs/${sent.body.id}/verify`), {})).status).toBe(403);
      expect((await who.post(e(`/transfer-proofs/${sent.body.id}/reject`), { reason: 'x' })).status).toBe(403);
    }
    const treasurer = await userWithRole(server.url, admin, estateId, 'treasurer');
    expect((await treasurer.client.get(e('/transfer-proofs?status=pending'))).status).toBe(200);
    expect((await treasurer.client.post(e(`/transfer-proofs/${sent.body.id}/reject`), { reason: 'Tidak terbaca' })).status).toBe(200);
  });

  it("another estate's ids answer 404 and change nothing", async () => {
    const sent = await send(residentA.client, '40000', '2026-11-10');
    const other = await admin.post('/estates', { name: 'Perumahan Sebelah' });
    const o = (p: string) => `/estates/${other.body.id ?? other.body.estate?.id}${p}`;
    expect((await admin.post(o(`/transfer-proofs/${sent.body.id}/verify`), {})).status).toBe(404);
    expect((await admin.post(o(`/transfer-proofs/${sent.body.id}/reject`), { reason: 'x' })).status).toBe(404);
    expect((await admin.get(o(`/transfer-proofs/${sent.body.id}/proof`))).status).toBe(404);
    const still = await admin.get(e('/transfer-proofs?status=pending'));
    expect(still.body.items.map((s: { id: string }) => s.id)).toContain(sent.body.id);
  });
});
