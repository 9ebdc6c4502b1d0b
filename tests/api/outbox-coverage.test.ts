import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { journalGaps } from '../support/journal-coverage.ts';
import { apiClient, setupEstate, startTestServer, tableNames, type ApiClient, type TestServer } from '../support/server.ts';
import { GUARD_PIN, hoursFromNow } from './gate-post-fixture.ts';

/**
 * Every row the API writes is journaled: after a broad run through the office, the portal, the kiosk and account
 * flows, each row of each data table has its audit row and (synced tables) its outbox row, with the newest outbox
 * operation matching the row, computed from the database (`journalGaps`). Runs on SQLite and PostgreSQL (`pgUrl`).
 */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

async function ok<T = any>(res: Promise<{ status: number; body: T; text: string }>, status = [200, 201, 202, 204]): Promise<T> {
  const r = await res;
  if (!status.includes(r.status)) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

describe.each(['sqlite', 'postgres'] as const)('outbox coverage on %s', (backend) => {
  let pgdb: TestDatabase | undefined;
  let server: TestServer;
  let admin: ApiClient;
  let estateId: string;
  const e = (p: string) => `/estates/${estateId}${p}`;

  beforeAll(async () => {
    if (backend === 'postgres') pgdb = await createTestDatabase(inject('pgUrl'));
    server = await startTestServer(pgdb ? { databaseUrl: pgdb.url } : {});
    ({ client: admin, estateId } = await setupEstate(server.url));
  });
  afterAll(async () => {
    await server?.close();
    await pgdb?.drop();
  });

  it('leaves an audit row and an outbox row for every row the API wrote or changed', async () => {
    // Estate, units and residents, with changes and tombstones.
    await ok(admin.patch(e(''), { address: 'Jl. Kenanga 1', settings: { billing: { due_day: 15 } } }));
    const unitA = (await ok(admin.post(e('/units'), { code: 'A-1', type: 'rumah', occupancy: 'occupied', land_area_m2: 90 }))).id;
    const unitB = (await ok(admin.post(e('/units'), { code: 'A-2', type: 'rumah', occupancy: 'occupied' }))).id;
    const gone = (await ok(admin.post(e('/units'), { code: 'Z-9', type: 'ruko', occupancy: 'vacant' }))).id;
    await ok(admin.patch(e(`/units/${unitB}`), { land_area_m2: 120 }));
    await ok(admin.delete(e(`/units/${gone}`)));
    const owner = (
      await ok(admin.post(e('/residents'), { name: 'Budi Santoso', unit_id: unitA, relation: 'owner', phone: '081234567890' }))
    ).id;
    await ok(admin.patch(e(`/residents/${owner}`), { phone: '081298765432' }));
    const leaver = (await ok(admin.post(e('/residents'), { name: 'Rina', unit_id: unitB, relation: 'tenant' }))).id;
    await ok(admin.delete(e(`/residents/${leaver}`)));

    // Accounts: a treasurer with a password, a resident by invite code, an existing account invited and accepting,
    // a password change, tokens and a sign-out.
    const treasurer = await ok(
      admin.post(e('/users'), { name: 'Bu Sari', email: 'sari@griya-asri.id', role: 'treasurer', password: 'rahasia-sari-1' }),
    );
    const invited = await ok(admin.post(e('/users'), { name: 'Budi', email: 'budi@griya-asri.id', role: 'resident', resident_id: owner }));
    const resident = apiClient(server.url);
    await ok(resident.post(`/invites/${invited.invite.code}/accept`, { password: 'rahasia-budi-1' }));
    const other = await ok(admin.post('/estates', { name: 'Perumahan Sebelah' }));
    const elsewhere = apiClient(server.url);
    await ok(elsewhere.post('/auth/login', { login: 'ketua@griya-asri.id', password: 'rahasia-ketua-1' }));
    await ok(elsewhere.post(`/estates/${other.id}/users`, { name: 'Sari', email: 'sari@griya-asri.id', role: 'staff' }));
    const sari = apiClient(server.url);
    await ok(sari.post('/auth/login', { login: 'sari@griya-asri.id', password: 'rahasia-sari-1' }));
    const [invitation] = (await ok(sari.get('/membership-invitations'))).items;
    await ok(sari.post(`/membership-invitations/${invitation.id}/accept`, {}));
    await ok(sari.post('/auth/password', { current_password: 'rahasia-sari-1', new_password: 'rahasia-sari-2' }));
    const token = (
      await ok(apiClient(server.url).post('/auth/token', { login: 'sari@griya-asri.id', password: 'rahasia-sari-2', name: 'skrip' }))
    ).token;
    await ok(apiClient(server.url).withBearer(token).post('/auth/logout', {}));
    await ok(elsewhere.post('/auth/logout', {}));
    expect(treasurer.user.id).toBeTruthy();

    // Billing, payments, a reversal, a proof, a transfer proof from the portal, invoice corrections.
    await ok(admin.post(e('/fee-types'), { code: 'IPL', name: 'IPL', amount: 150_000, basis: 'flat', effective_from: '2026-01' }));
    await ok(admin.post(e('/billing-runs'), { period: '2026-10', due_date: '2026-10-10' }));
    await ok(
      admin.post(e('/charges'), { name: 'Iuran 17 Agustus', amount: 25_000, period: '2026-08', due_date: '2026-08-17', unit_ids: [unitB] }),
    );
    const invoices = (await ok(admin.get(e('/invoices?limit=50')))).items as { id: string; unit_id: string }[];
    const ofB = invoices.filter((i) => i.unit_id === unitB);
    await ok(admin.post(e(`/invoices/${ofB[0].id}/void`), { reason: 'Salah tagih' }));
    await ok(admin.post(e(`/invoices/${ofB[1].id}/credit-notes`), { amount: 5_000, reason: 'Diskon' }));
    const paid = await ok(admin.post(e('/payments'), { unit_id: unitA, amount: 200_000, method: 'cash', paid_at: '2026-10-05T03:00:00Z' }));
    await ok(admin.upload(e(`/payments/${paid.id}/proof`), {}, { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } }));
    const wrong = await ok(
      admin.post(e('/payments'), { unit_id: unitB, amount: 50_000, method: 'bank_transfer', paid_at: '2026-10-06T03:00:00Z' }),
    );
    await ok(admin.post(e(`/payments/${wrong.id}/reverse`), { reason: 'Transfer ditolak bank' }));
    await ok(admin.post(e(`/units/${unitA}/credit-refunds`), { amount: 50_000, method: 'cash', reason: 'Lebih bayar' }));
    const proof = await ok(
      resident.upload(
        e('/portal/transfer-proofs'),
        { amount: '100000', paid_at: '2026-11-06', reference: 'BCA 1' },
        { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } },
      ),
    );
    await ok(admin.post(e(`/transfer-proofs/${proof.id}/verify`), {}));
    await ok(admin.post(e(`/payments/${paid.id}/receipt/print`), { target: 'pdf' }), [200, 201]);

    // Cash book.
    const cash = (
      await ok(admin.post(e('/cashbook/accounts'), { name: 'Kas', kind: 'cash', opening_balance: 1_000_000, opening_date: '2026-09-30' }))
    ).id;
    const bank = (await ok(admin.post(e('/cashbook/accounts'), { name: 'Bank', kind: 'bank' }))).id;
    const spend = await ok(
      admin.post(e('/cashbook/entries'), {
        account_id: cash,
        direction: 'out',
        amount: 300_000,
        category: 'electricity',
        entry_date: '2026-10-03',
        description: 'Listrik',
      }),
    );
    await ok(
      admin.post(e('/cashbook/transfers'), { from_account_id: cash, to_account_id: bank, amount: 200_000, entry_date: '2026-10-04' }),
    );
    await ok(admin.post(e(`/cashbook/entries/${spend.id}/reverse`), { reason: 'Salah catat', entry_date: '2026-10-05' }));
    await ok(admin.post(e('/cashbook/close'), { period: '2026-10' }));

    // Gate: a device paired, re-paired and revoked, a guard on shift, passes scanned, a walk-in, settings.
    const gate = await ok(admin.post(e('/gates'), { name: 'Gerbang Utama' }));
    await ok(admin.patch(e(`/gates/${gate.id}`), { name: 'Gerbang Depan' }));
    const guard = await ok(admin.post(e('/gate/guards'), { name: 'Pak Joko', pin: GUARD_PIN }));
    const device = await ok(admin.post(e('/devices'), { name: 'Kios', kind: 'kiosk' }));
    const first = await ok(apiClient(server.url).post(e('/devices/pair'), { pairing_code: device.pairing_code }));
    const again = await ok(admin.post(e(`/devices/${device.device.id}/pairing-code`), {}));
    const paired = await ok(apiClient(server.url).post(e('/devices/pair'), { pairing_code: again.pairing_code }));
    expect(paired.token).not.toBe(first.token);
    const kiosk = apiClient(server.url).withBearer(paired.token);
    await ok(kiosk.post(e('/gate/shifts'), { gate_id: gate.id, guard_id: guard.id, pin: GUARD_PIN }));
    const guest = await ok(resident.post(e('/portal/passes'), { name: 'Tamu Budi' }));
    await ok(kiosk.post(e('/gate/scan'), { payload: guest.qr_payload }));
    const temp = await ok(
      resident.post(e('/portal/passes'), {
        kind: 'temporary',
        name: 'Tukang AC',
        purpose: 'Servis',
        valid_until: hoursFromNow(8),
        max_uses: 2,
      }),
    );
    await ok(kiosk.post(e('/gate/scan'), { code: temp.code }));
    const office = await ok(admin.post(e('/passes'), { kind: 'guest', unit_id: unitB, name: 'Tamu A-2' }));
    await ok(admin.post(e(`/passes/${office.id}/revoke`), {}));
    await ok(kiosk.post(e('/gate/walk-ins'), { name: 'Kurir', unit_id: unitA, purpose: 'Paket' }), [200, 201]);
    await ok(kiosk.post(e('/gate/shifts/current/end'), {}));
    await ok(admin.post(e(`/devices/${device.device.id}/revoke`), {}));
    await ok(admin.put(e('/settings/receipt'), { paper: 'A6', signer_title: 'Bendahara RW' }));

    // The run touched the tables that hold the data this test is about; an empty table would check nothing.
    const knex = server.db.knex;
    for (const table of [
      'users',
      'sessions',
      'api_tokens',
      'invites',
      'membership_invitations',
      'memberships',
      'estates',
      'gate_devices',
      'gate_signing_keys',
      'gate_shifts',
      'passes',
      'gate_access_log',
      'invoices',
      'payments',
      'payment_reversals',
      'cashbook_entries',
      'estate_settings',
    ]) {
      expect(Number((await knex(table).count({ n: '*' }))[0].n), table).toBeGreaterThan(0);
    }
    expect(await tableNames(knex)).toContain('outbox');
    expect(await journalGaps(knex)).toEqual([]);

    // The audit log is read by estate admins and exported: no hash, token, key or invite code is copied into it.
    const secrets = ['password_hash', 'token_hash', 'csrf_token', 'private_key_pem', 'pairing_code_hash'];
    const leaked = await knex('audit_log')
      .where((q) => {
        for (const c of secrets) q.orWhere('before', 'like', `%"${c}"%`).orWhere('after', 'like', `%"${c}"%`);
        q.orWhere((w) => w.where({ entity_table: 'invites' }).where('after', 'like', '%"code"%'));
      })
      .select('entity_table', 'action');
    expect(leaked).toEqual([]);
    expect(await knex('audit_log').where({ entity_table: 'gate_devices', action: 'gate_devices.pair' }).first('id')).toBeTruthy();
  });

  it('names a row written behind the stores’ back, and a test server with KLUSTERA_CHECK_OUTBOX=1 refuses to close quietly', async () => {
    // A server of its own: the rows edited here must not fail the check of the suite's server.
    const scratchDb = pgdb ? await createTestDatabase(inject('pgUrl')) : undefined;
    const scratch = await startTestServer(scratchDb ? { databaseUrl: scratchDb.url } : {});
    const flag = process.env.KLUSTERA_CHECK_OUTBOX;
    try {
      const { client, estateId: id } = await setupEstate(scratch.url);
      for (const code of ['B-1', 'B-2']) await ok(client.post(`/estates/${id}/units`, { code, type: 'rumah', occupancy: 'occupied' }));
      const knex = scratch.db.knex;
      const later = new Date(Date.now() + 60_000).toISOString();
      const [changed, tombstoned] = await knex('units').orderBy('code').select('id');
      await knex('units').where({ id: changed.id }).update({ updated_at: later });
      await knex('units').where({ id: tombstoned.id }).update({ deleted_at: later });
      const session = await knex('sessions').whereNull('revoked_at').first('id');
      await knex('sessions').where({ id: session.id }).update({ revoked_at: later });
      const gaps = await journalGaps(knex);
      expect(gaps.some((g) => g.startsWith(`units ${changed.id}: changed at ${later}`))).toBe(true);
      expect(gaps.some((g) => g.startsWith(`units ${tombstoned.id}: newest outbox op is insert`))).toBe(true);
      expect(gaps.some((g) => g.startsWith(`sessions ${session.id}: changed at ${later}, after its newest audit row`))).toBe(true);
      expect(gaps.some((g) => g.startsWith('sessions') && g.includes('outbox'))).toBe(false);
      process.env.KLUSTERA_CHECK_OUTBOX = '1';
    } finally {
      const closed = scratch.close();
      if (process.env.KLUSTERA_CHECK_OUTBOX === '1') await expect(closed).rejects.toThrow(/writes without their journal rows \(6\)/);
      else await closed;
      await scratchDb?.drop();
      if (flag === undefined) delete process.env.KLUSTERA_CHECK_OUTBOX;
      else process.env.KLUSTERA_CHECK_OUTBOX = flag;
    }
  });
});
