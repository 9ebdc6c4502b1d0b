import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * The estate's bank account, which residents copy into their bank app when they transfer dues. A wrong digit sends
 * a resident's money to a stranger, so only the estate's administrators set it, bad input is refused whole, every
 * change is journaled, and one estate never sees another's.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;
let otherEstateId: string;
let treasurer: ApiClient;
let staff: ApiClient;
let guard: ApiClient;
let resident: ApiClient;
const e = (p: string, estate = estateId) => `/estates/${estate}${p}`;
const BCA = { bank_name: 'BCA', account_number: '123-456 7890', account_holder: 'Kas RT 003 Griya Asri' };

const journal = async () => ({
  audit: (await server.db.knex('audit_log').where({ entity_table: 'estate_settings' }).count({ n: '*' }))[0]!.n,
  outbox: (await server.db.knex('outbox').where({ table_name: 'estate_settings' }).count({ n: '*' }))[0]!.n,
  rows: await server.db.knex('estate_settings').where({ key: 'bank_account' }).select('estate_id', 'value', 'deleted_at'),
});

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  otherEstateId = (await admin.post('/estates', { name: 'Perumahan Sebelah' })).body.id;
  const unit = await admin.post(e('/units'), { code: 'B-7', block: 'B' });
  const budi = await admin.post(e('/residents'), { name: 'Budi Santoso', unit_id: unit.body.id, relation: 'owner' });
  ({ client: resident } = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: budi.body.id }));
  ({ client: treasurer } = await userWithRole(server.url, admin, estateId, 'treasurer'));
  ({ client: staff } = await userWithRole(server.url, admin, estateId, 'staff'));
  ({ client: guard } = await userWithRole(server.url, admin, estateId, 'guard'));
});

afterAll(async () => {
  await server?.close();
});

describe('the estate bank account setting', () => {
  it('is empty until set; the admin saves it (digits only) and the office and the estate residents read it', async () => {
    expect((await admin.get(e('/settings/bank-account'))).body).toEqual({ bank_account: null });
    expect((await resident.get(e('/portal/bank-account'))).body).toEqual({ bank_account: null });

    const saved = await admin.put(e('/settings/bank-account'), { ...BCA, bank_name: '  BCA ' });
    expect(saved.status, saved.text).toBe(200);
    const stored = { bank_name: 'BCA', account_number: '1234567890', account_holder: 'Kas RT 003 Griya Asri' };
    expect(saved.body).toEqual({ bank_account: stored });
    for (const reader of [admin, treasurer, staff])
      expect((await reader.get(e('/settings/bank-account'))).body).toEqual({ bank_account: stored });
    expect((await resident.get(e('/portal/bank-account'))).body).toEqual({ bank_account: stored });

    // Journaled in the same write: one audit row and one outbox row for the new settings row.
    const audit = await server.db.knex('audit_log').where({ action: 'settings.bank_account.create' }).first();
    expect(audit).toMatchObject({ estate_id: estateId, entity_table: 'estate_settings' });
    expect(await server.db.knex('outbox').where({ table_name: 'estate_settings', row_id: audit.entity_id }).first()).toBeTruthy();

    const changed = await admin.put(e('/settings/bank-account'), { ...BCA, bank_name: 'Bank Mandiri', account_number: '1370012345678' });
    expect(changed.body.bank_account.account_number).toBe('1370012345678');
    expect(await server.db.knex('audit_log').where({ action: 'settings.bank_account.update' }).first()).toBeTruthy();
  });

  it('only estate administrators change it; the guard and residents do not read the office settings', async () => {
    const before = await journal();
    for (const who of [treasurer, staff, guard, resident]) {
      const put = await who.put(e('/settings/bank-account'), BCA);
      expect(put.status).toBe(403);
      expect(put.body.error.code).toBe('FORBIDDEN');
      expect((await who.delete(e('/settings/bank-account'))).status).toBe(403);
    }
    for (const who of [guard, resident]) expect((await who.get(e('/settings/bank-account'))).status).toBe(403);
    // The portal's copy is for residents only.
    for (const who of [treasurer, guard]) expect((await who.get(e('/portal/bank-account'))).status).toBe(403);
    expect(await journal()).toEqual(before);
  });

  it('refuses bad input with 400 VALIDATION_FAILED naming the field, and writes nothing', async () => {
    const before = await journal();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...BCA, account_number: '12345abc' }, 'account_number'],
      [{ ...BCA, account_number: '1234' }, 'account_number'],
      [{ ...BCA, account_number: '1'.repeat(21) }, 'account_number'],
      [{ ...BCA, account_number: 1234567890 }, 'account_number'],
      [{ ...BCA, account_number: '' }, 'account_number'],
      [{ ...BCA, bank_name: '   ' }, 'bank_name'],
      [{ ...BCA, bank_name: 'X'.repeat(61) }, 'bank_name'],
      [{ ...BCA, account_holder: 'A' }, 'account_holder'],
      [{ bank_name: 'BCA', account_number: '1234567890' }, 'account_holder'],
      [{ ...BCA, iban: 'x' }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await admin.put(e('/settings/bank-account'), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      if (field) expect(res.body.error.field, JSON.stringify(body)).toBe(field);
    }
    for (const raw of ['null', '[]', '"BCA"']) {
      const res = await admin.request('PUT', e('/settings/bank-account'), raw, { 'content-type': 'application/json' });
      expect(res.status, raw).toBe(400);
    }
    expect(await journal()).toEqual(before);
    expect((await admin.get(e('/settings/bank-account'))).body.bank_account.bank_name).toBe('Bank Mandiri');
  });

  it("stays in its estate: another estate has none, and this estate's resident cannot read that one", async () => {
    expect((await admin.get(e('/settings/bank-account', otherEstateId))).body).toEqual({ bank_account: null });
    const other = { bank_name: 'BRI', account_number: '0021-01-000123-30-5', account_holder: 'Paguyuban Sebelah' };
    expect((await admin.put(e('/settings/bank-account', otherEstateId), other)).status).toBe(200);
    expect((await admin.get(e('/settings/bank-account'))).body.bank_account.bank_name).toBe('Bank Mandiri');
    expect((await resident.get(e('/portal/bank-account'))).body.bank_account.bank_name).toBe('Bank Mandiri');
    for (const path of ['/portal/bank-account', '/settings/bank-account']) {
      const res = await resident.get(e(path, otherEstateId));
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('Paguyuban');
    }
    expect((await treasurer.put(e('/settings/bank-account', otherEstateId), BCA)).status).toBe(404);
  });

  it('can be removed, and set again on the same row', async () => {
    expect((await admin.delete(e('/settings/bank-account'))).status).toBe(204);
    expect((await resident.get(e('/portal/bank-account'))).body).toEqual({ bank_account: null });
    expect((await admin.put(e('/settings/bank-account'), BCA)).status).toBe(200);
    const rows = (await journal()).rows.filter((r: { estate_id: string }) => r.estate_id === estateId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.deleted_at).toBeNull();
  });
});
