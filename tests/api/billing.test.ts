import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingScheduleTick } from '../../server/ledger/schedule.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

let server: TestServer;
let estateId: string;
let admin: ApiClient;
const base = () => `/estates/${estateId}`;

async function count(table: string, where: Record<string, unknown> = {}): Promise<number> {
  return Number((await server.db.knex(table).where(where).count({ n: '*' }))[0].n);
}

async function unit(code: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await admin.post(`${base()}/units`, { code, type: 'rumah', occupancy: 'occupied', land_area_m2: 100, ...extra });
  expect(res.status).toBe(201);
  return res.body.id;
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server.close();
});

describe('fee types and billing runs', () => {
  let ipl: string;
  let occupied: string;
  let vacant: string;
  let ruko: string;

  it('creates fee types: flat by unit type, per m², vacant rules', async () => {
    occupied = await unit('A-1');
    vacant = await unit('A-2', { occupancy: 'vacant' });
    ruko = await unit('R-1', { type: 'ruko', land_area_m2: 60 });
    const res = await admin.post(`${base()}/fee-types`, {
      code: 'ipl',
      name: 'IPL',
      amount: 150000,
      basis: 'flat',
      unit_types: { rumah: 150000, ruko: 300000 },
      vacant_rule: { mode: 'discount', percent: 50 },
      effective_from: '2026-01',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: 'IPL',
      amount: 150000,
      basis: 'flat',
      unit_types: ['rumah', 'ruko'],
      vacant_rule: { mode: 'discount', percent: 50 },
    });
    ipl = res.body.id;
    const sec = await admin.post(`${base()}/fee-types`, {
      code: 'KEAMANAN',
      name: 'Keamanan',
      amount: 50000,
      basis: 'flat',
      vacant_rule: 'exempt',
      effective_from: '2026-01',
    });
    expect(sec.status).toBe(201);
    const kebersihan = await admin.post(`${base()}/fee-types`, {
      code: 'KEBERSIHAN',
      name: 'Kebersihan',
      amount: 200,
      basis: 'per_m2',
      unit_types: ['rumah'],
      effective_from: '2026-01-15',
    });
    expect(kebersihan.status).toBe(201);
    expect(kebersihan.body.effective_from).toBe('2026-01');
    const dup = await admin.post(`${base()}/fee-types`, { code: 'IPL', name: 'again', amount: 1, basis: 'flat' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('DUPLICATE');
  });

  it('previews a run without writing anything', async () => {
    const before = await count('invoices');
    const res = await admin.post(`${base()}/billing-runs`, { period: '2026-06', due_date: '2026-06-10', dry_run: true });
    expect(res.status).toBe(200);
    // IPL 150k + keamanan 50k + kebersihan 100 m² × 200; A-2 vacant: IPL at 50 % only; R-1: ruko IPL 300k + keamanan.
    expect(res.body).toMatchObject({
      dry_run: true,
      total_units: 3,
      invoices_created: 3,
      invoices_existing: 0,
      lines_created: 6,
      total_amount: 220000 + 75000 + 350000,
    });
    expect(await count('invoices')).toBe(before);
  });

  it('bills one invoice per unit, exempting vacant units per fee, numbered INV/yyyy/mm/nnnn', async () => {
    const auditBefore = await count('audit_log');
    const outboxBefore = await count('outbox');
    const res = await admin.post(`${base()}/billing-runs`, { period: '2026-06', due_date: '2026-06-10' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ dry_run: false, status: 'completed', invoices_created: 3, total_amount: 645000 });
    // One audit row for the run, not one per invoice.
    expect(await count('audit_log')).toBe(auditBefore + 1);
    // …but every written row still reaches the sync outbox: 3 invoices, 6 lines, the run.
    expect(await count('outbox')).toBe(outboxBefore + 10);
    const list = await admin.get(`${base()}/invoices?period=2026-06`);
    expect(list.body.total).toBe(3);
    expect(list.body.items.map((i: { number: string }) => i.number).sort()).toEqual([
      'INV/2026/06/0001',
      'INV/2026/06/0002',
      'INV/2026/06/0003',
    ]);
    const vacantInvoice = list.body.items.find((i: { unit_id: string }) => i.unit_id === vacant);
    const detail = await admin.get(`${base()}/invoices/${vacantInvoice.id}`);
    expect(detail.body.lines).toEqual([expect.objectContaining({ amount: 75000, description: 'IPL (kosong, diskon 50%)' })]);
    expect(detail.body).toMatchObject({ status: 'unpaid', total: 75000, outstanding: 75000, due_date: '2026-06-10' });
    const rukoInvoice = list.body.items.find((i: { unit_id: string }) => i.unit_id === ruko);
    expect(rukoInvoice.total).toBe(350000);
  });

  it('re-running the same period creates nothing', async () => {
    const before = await count('invoices');
    const res = await admin.post(`${base()}/billing-runs`, { period: '2026-06', due_date: '2026-06-10' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ invoices_created: 0, invoices_existing: 3, total_amount: 0 });
    expect(await count('invoices')).toBe(before);
  });

  it('a rate change mid-year applies from its month on and never rewrites earlier periods', async () => {
    const res = await admin.patch(`${base()}/fee-types/${ipl}`, {
      amount: 175000,
      unit_types: { rumah: 175000, ruko: 320000 },
      effective_from: '2026-07',
    });
    expect(res.status).toBe(200);
    expect(res.body.rates).toHaveLength(2);
    const july = await admin.post(`${base()}/billing-runs`, { period: '2026-07', due_date: '2026-07-10' });
    expect(july.status).toBe(201);
    const items = (await admin.get(`${base()}/invoices?period=2026-07&unit_id=${occupied}`)).body.items;
    const julyDetail = await admin.get(`${base()}/invoices/${items[0].id}`);
    expect(julyDetail.body.lines.find((l: { description: string }) => l.description === 'IPL').amount).toBe(175000);
    const june = (await admin.get(`${base()}/invoices?period=2026-06&unit_id=${occupied}`)).body.items[0];
    expect(june.total).toBe(220000);
    // Billing June again (e.g. a unit added late) still uses June's rate.
    const lateUnit = await unit('A-3');
    const juneAgain = await admin.post(`${base()}/billing-runs`, { period: '2026-06', due_date: '2026-06-10' });
    expect(juneAgain.body.invoices_created).toBe(1);
    const lateInv = (await admin.get(`${base()}/invoices?period=2026-06&unit_id=${lateUnit}`)).body.items[0];
    expect(lateInv).toMatchObject({ total: 220000, number: 'INV/2026/06/0004' });
  });

  it('rejects bad input on fee types and runs with 4xx and writes nothing', async () => {
    const before = {
      fees: await count('fee_types'),
      rates: await count('fee_rates'),
      inv: await count('invoices'),
      audit: await count('audit_log'),
    };
    const bad: Array<[string, unknown]> = [
      ['/fee-types', { code: 'X', name: 'X', amount: 1.5, basis: 'flat' }],
      ['/fee-types', { code: 'X', name: 'X', amount: '100', basis: 'flat' }],
      ['/fee-types', { code: 'X', name: 'X', amount: -1, basis: 'flat' }],
      ['/fee-types', { code: 'X', name: 'X', amount: 1, basis: 'per_unit' }],
      ['/fee-types', { code: 'X', name: 'X', amount: 1, basis: 'flat', unit_types: ['castle'] }],
      ['/fee-types', { code: 'X', name: 'X', amount: 1, basis: 'flat', vacant_rule: { mode: 'discount', percent: 150 } }],
      ['/fee-types', { code: 'X', name: 'X', amount: 1, basis: 'flat', effective_from: '2026-13' }],
      ['/fee-types', { code: 'X y', name: 'X', amount: 1, basis: 'flat' }],
      ['/fee-types', { code: 'X', name: 'X', amount: 1e20, basis: 'flat' }],
      ['/fee-types', { code: 'X', name: 'X', amount: 1, basis: 'flat', extra: true }],
      ['/fee-types', []],
      ['/billing-runs', { period: '2026-13' }],
      ['/billing-runs', { period: '2026-08', due_date: '2026-02-30' }],
      ['/billing-runs', { period: '2026-08', due_date: '2026-07-01' }],
      ['/billing-runs', { period: 202608 }],
      ['/billing-runs', {}],
      ['/charges', { name: 'Agustusan', amount: 0, period: '2026-08', due_date: '2026-08-17' }],
      ['/charges', { name: 'Agustusan', amount: 10000, period: '2026-08', due_date: '2026-08-17', unit_ids: ['nope'] }],
    ];
    for (const [path, body] of bad) {
      const res = await admin.post(`${base()}${path}`, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(typeof res.body.error.code).toBe('string');
    }
    const raw = await admin.request('POST', `${base()}/billing-runs`, '{"period": ');
    expect(raw.status).toBe(400);
    expect(raw.body.error.code).toBe('INVALID_JSON');
    const patch = await admin.patch(`${base()}/fee-types/${ipl}`, { amount: 2.5 });
    expect(patch.status).toBe(400);
    const emptyPatch = await admin.patch(`${base()}/fee-types/${ipl}`, {});
    expect(emptyPatch.status).toBe(400);
    expect({
      fees: await count('fee_types'),
      rates: await count('fee_rates'),
      inv: await count('invoices'),
      audit: await count('audit_log'),
    }).toEqual(before);
  });

  it('one-off charges for selected units', async () => {
    const res = await admin.post(`${base()}/charges`, {
      name: 'Iuran 17 Agustus',
      amount: 25000,
      period: '2026-08',
      due_date: '2026-08-17',
      unit_ids: [occupied, ruko],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ unit_count: 2, total_amount: 50000 });
    const list = await admin.get(`${base()}/invoices?period=2026-08`);
    expect(list.body.items.map((i: { unit_id: string; kind: string; total: number }) => [i.kind, i.total])).toEqual([
      ['charge', 25000],
      ['charge', 25000],
    ]);
  });

  it('voids an invoice with a reason and filters by status', async () => {
    const inv = (await admin.get(`${base()}/invoices?period=2026-07&unit_id=${vacant}`)).body.items[0];
    const noReason = await admin.post(`${base()}/invoices/${inv.id}/void`, {});
    expect(noReason.status).toBe(400);
    const res = await admin.post(`${base()}/invoices/${inv.id}/void`, { reason: 'Unit belum serah terima' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'void', outstanding: 0, void_reason: 'Unit belum serah terima' });
    const again = await admin.post(`${base()}/invoices/${inv.id}/void`, { reason: 'lagi' });
    expect(again.status).toBe(409);
    const voids = await admin.get(`${base()}/invoices?status=void`);
    expect(voids.body.items.map((i: { id: string }) => i.id)).toEqual([inv.id]);
    const bad = await admin.get(`${base()}/invoices?status=gone`);
    expect(bad.status).toBe(400);
  });

  it('credit notes lower an invoice but never below zero', async () => {
    const inv = (await admin.get(`${base()}/invoices?period=2026-07&unit_id=${ruko}`)).body.items[0];
    const tooMuch = await admin.post(`${base()}/invoices/${inv.id}/credit-notes`, { amount: inv.total + 1, reason: 'diskon' });
    expect(tooMuch.status).toBe(409);
    const res = await admin.post(`${base()}/invoices/${inv.id}/credit-notes`, { amount: 20000, reason: 'Diskon pengurus' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ credited: 20000, outstanding: inv.total - 20000, status: 'partial' });
  });

  it('runs a background billing run as a durable job: queued before a runner takes it, then completed once', async () => {
    // Stop this process's runner: the run must wait in the jobs table, not in a promise.
    await server.jobs.stop();
    const started = await admin.post(`${base()}/billing-runs`, { period: '2026-09', due_date: '2026-09-10', background: true });
    expect(started.status).toBe(202);
    const queued = await admin.get(`${base()}/billing-runs/${started.body.id}`);
    expect(queued.body).toMatchObject({ id: started.body.id, status: 'running', processed_units: 0 });
    const job = await server.db
      .knex('jobs')
      .where({ name: 'billing.run', dedupe_key: `billing-run:${started.body.id}` })
      .first();
    expect(job).toMatchObject({ status: 'pending', estate_id: estateId });

    const outcomes = await server.jobs.runDue();
    expect(outcomes.filter((o) => o.name === 'billing.run').map((o) => o.result)).toEqual(['done']);
    const done = await admin.get(`${base()}/billing-runs/${started.body.id}`);
    expect(done.body).toMatchObject({ id: started.body.id, status: 'completed', invoices_created: 4, trigger: 'manual' });
    // The run is recorded as the treasurer's, not the system's.
    const audit = await server.db.knex('audit_log').where({ entity_table: 'billing_runs', entity_id: started.body.id }).first();
    expect(audit.actor_user_id).not.toBeNull();
    // Running the job again (a crash before its completion mark) makes nothing twice.
    await server.db.knex('jobs').where({ id: job.id }).update({ status: 'pending', locked_by: null });
    await server.jobs.runDue();
    expect((await admin.get(`${base()}/invoices?period=2026-09`)).body.total).toBe(4);
    server.jobs.start();
  });

  it('the scheduler bills the current period once on the chosen day', async () => {
    const patch = await admin.patch(`/estates/${estateId}`, { settings: { billing: { auto_run_day: 5, due_day: 15 } } });
    expect(patch.status).toBe(200);
    // The estate's own clock decides: 23:00 on the 4th there is before the 5th, 00:30 on the 5th is on it.
    const zone = (await admin.get(`/estates/${estateId}`)).body.timezone as string;
    const at = (local: string) => new Date(DateTime.fromISO(local, { zone }).toUTC().toISO()!);
    expect(await billingScheduleTick(server.app, at('2026-12-04T23:00'))).toEqual([]);
    const first = await billingScheduleTick(server.app, at('2026-12-05T00:30'));
    expect(first).toEqual([{ estate_id: estateId, period: '2026-12', invoices_created: 4 }]);
    const inv = (await admin.get(`${base()}/invoices?period=2026-12&unit_id=${occupied}`)).body.items[0];
    expect(inv.due_date).toBe('2026-12-15');
    expect(await billingScheduleTick(server.app, new Date('2026-12-20T00:00:00Z'))).toEqual([]);
    const runs = await admin.get(`${base()}/billing-runs?period=2026-12`);
    expect(runs.body.items).toEqual([expect.objectContaining({ trigger: 'schedule', invoices_created: 4 })]);
  });
});

describe('isolation and permissions', () => {
  it('another estate cannot see or touch these ids (404)', async () => {
    const other = await admin.post('/estates', { name: 'Perumahan Lain' });
    expect(other.status).toBe(201);
    const otherId = other.body.id ?? other.body.estate?.id;
    const inv = (await admin.get(`${base()}/invoices?limit=1`)).body.items[0];
    const fee = (await admin.get(`${base()}/fee-types`)).body.items[0];
    const run = (await admin.get(`${base()}/billing-runs?limit=1`)).body.items[0];
    const o = `/estates/${otherId}`;
    expect((await admin.get(`${o}/invoices/${inv.id}`)).status).toBe(404);
    expect((await admin.post(`${o}/invoices/${inv.id}/void`, { reason: 'x' })).status).toBe(404);
    expect((await admin.post(`${o}/invoices/${inv.id}/credit-notes`, { amount: 1, reason: 'x' })).status).toBe(404);
    expect((await admin.get(`${o}/fee-types/${fee.id}`)).status).toBe(404);
    expect((await admin.patch(`${o}/fee-types/${fee.id}`, { name: 'x' })).status).toBe(404);
    expect((await admin.delete(`${o}/fee-types/${fee.id}`)).status).toBe(404);
    expect((await admin.get(`${o}/billing-runs/${run.id}`)).status).toBe(404);
    expect((await admin.get(`${o}/invoices?unit_id=${inv.unit_id}`)).status).toBe(404);
    expect(
      (await admin.post(`${o}/charges`, { name: 'x', amount: 1, period: '2026-08', due_date: '2026-08-17', unit_ids: [inv.unit_id] }))
        .status,
    ).toBe(404);
    expect((await admin.get(`${o}/invoices`)).body.total).toBe(0);
  });

  it('residents and guards cannot reach treasurer routes; staff can read but not bill', async () => {
    const resident = await userWithRole(server.url, admin, estateId, 'resident');
    const guard = await userWithRole(server.url, admin, estateId, 'guard');
    const staff = await userWithRole(server.url, admin, estateId, 'staff');
    for (const c of [resident.client, guard.client]) {
      expect((await c.get(`${base()}/invoices`)).status).toBe(403);
      expect((await c.get(`${base()}/fee-types`)).status).toBe(403);
      expect((await c.post(`${base()}/billing-runs`, { period: '2026-09' })).status).toBe(403);
      expect((await c.post(`${base()}/fee-types`, { code: 'Z', name: 'Z', amount: 1, basis: 'flat' })).status).toBe(403);
    }
    expect((await staff.client.get(`${base()}/invoices`)).status).toBe(200);
    expect((await staff.client.post(`${base()}/billing-runs`, { period: '2026-09' })).status).toBe(403);
  });
});
