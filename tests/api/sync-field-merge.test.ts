import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { platformDb } from '../../server/sync/platform-db.ts';
import type { ApiClient, TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * Reference rows merge column by column between an office desktop (SQLite) and the hosted instance (PostgreSQL,
 * `pgUrl`): different columns changed on each side are both kept; the same column changed on both while apart goes to
 * the later change, and the losing value is listed on both sites, where the office dismisses it or uses it instead.
 */
let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
let unitId: string;
let residentId: string;
const e = (p: string) => `/estates/${estateId}${p}`;
const db = (server: TestServer) => platformDb(server.app);

function canonicalRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows
    .map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          v === true ? 1 : v === false ? 0 : typeof v === 'string' && /^-?\d{1,15}$/.test(v) && !v.startsWith('0') ? Number(v) : v,
        ]),
      ),
    )
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}
const rowsOf = async (server: TestServer, table: string) =>
  canonicalRows(await db(server)(table).where({ estate_id: estateId }).select('*'));

async function syncUntilQuiet() {
  for (let i = 0; i < 4; i++) {
    const run = await office.post(e('/sync/run'));
    expect(run.body.ok, run.text).toBe(true);
    if (run.body.pushed === 0 && run.body.pulled === 0) return;
  }
  throw new Error('sync did not settle');
}

async function expectConverged() {
  for (const table of ['units', 'residents', 'sync_field_conflicts']) {
    expect(await rowsOf(cloud, table), table).toEqual(await rowsOf(desktop, table));
  }
}

const openConflicts = async (client: ApiClient) => (await client.get(e('/sync/conflicts?open=1'))).body.items as Record<string, unknown>[];

/** Lets the clock move on, so the later edit has the later clock value on either machine. */
const tick = () => new Promise((r) => setTimeout(r, 5));

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, office, estateId } = sites);
  const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
  expect((await office.post(e('/sync/link'), { cloud_url: cloud.url, code })).status).toBe(201);
  unitId = (await office.post(e('/units'), { code: 'F-1', occupancy: 'occupied', notes: 'awal' })).body.id;
  const resident = await office.post(e('/residents'), { name: 'Budi Santoso', phone: '081111111111', unit_id: unitId, relation: 'owner' });
  expect(resident.status, resident.text).toBe(201);
  residentId = resident.body.id;
  await syncUntilQuiet();
}, 120_000);
afterAll(() => sites?.close());

describe('per-field merge of reference rows', () => {
  it('keeps both changes when the desktop changes the owner phone and the hosted instance the name', async () => {
    expect((await office.patch(e(`/residents/${residentId}`), { phone: '082222222222' })).status).toBe(200);
    await tick();
    expect((await cloudAdmin.patch(e(`/residents/${residentId}`), { name: 'Budi Santosa' })).status).toBe(200);
    await syncUntilQuiet();
    for (const client of [office, cloudAdmin]) {
      const r = (await client.get(e(`/residents/${residentId}`))).body;
      expect([r.name, r.phone]).toEqual(['Budi Santosa', '+6282222222222']);
      expect(await openConflicts(client)).toEqual([]);
    }
    await expectConverged();
  });

  it('gives the same field changed on both to the newer change and lists the losing value on both sites', async () => {
    expect((await office.patch(e(`/residents/${residentId}`), { phone: '083333333333' })).status).toBe(200);
    await tick();
    expect((await cloudAdmin.patch(e(`/residents/${residentId}`), { phone: '084444444444' })).status).toBe(200);
    await syncUntilQuiet();
    for (const client of [office, cloudAdmin]) {
      expect((await client.get(e(`/residents/${residentId}`))).body.phone).toBe('+6284444444444');
    }
    const onDesktop = await openConflicts(office);
    expect(onDesktop).toEqual([
      expect.objectContaining({
        table_name: 'residents',
        row_id: residentId,
        row_label: 'Budi Santosa',
        column_name: 'phone',
        winning_value: '+6284444444444',
        losing_value: '+6283333333333',
        winner: 'other_site',
      }),
    ]);
    const onCloud = await openConflicts(cloudAdmin);
    expect(onCloud).toEqual([expect.objectContaining({ id: onDesktop[0].id, losing_value: '+6283333333333', winner: 'this_site' })]);
    await expectConverged();
  });

  it('the desktop wins when its change is the later one, whichever side pulls first', async () => {
    expect((await cloudAdmin.patch(e(`/units/${unitId}`), { notes: 'dari awan' })).status).toBe(200);
    await tick();
    expect((await office.patch(e(`/units/${unitId}`), { notes: 'dari kantor' })).status).toBe(200);
    // The desktop's change waits (as if its push failed): it pulls the hosted instance's change first.
    const waiting = (await db(desktop)('outbox').where({ estate_id: estateId }).whereNull('synced_at').select('id')).map(
      (r: { id: string }) => r.id,
    );
    await db(desktop)('outbox').whereIn('id', waiting).update({ synced_at: 'held back' });
    expect((await office.post(e('/sync/run'))).body.ok).toBe(true);
    expect((await office.get(e(`/units/${unitId}`))).body.notes).toBe('dari kantor');
    await db(desktop)('outbox').whereIn('id', waiting).update({ synced_at: null });
    await syncUntilQuiet();
    for (const client of [office, cloudAdmin]) {
      expect((await client.get(e(`/units/${unitId}`))).body.notes).toBe('dari kantor');
      const notes = (await openConflicts(client)).filter((c) => c.column_name === 'notes');
      expect(notes).toEqual([expect.objectContaining({ row_label: 'F-1', winning_value: 'dari kantor', losing_value: 'dari awan' })]);
    }
    expect((await openConflicts(office)).find((c) => c.column_name === 'notes')?.winner).toBe('this_site');
    await expectConverged();
  });

  it('uses a losing value as an ordinary edit that reaches the other site, and a dismissal travels too', async () => {
    const [notes] = (await openConflicts(office)).filter((c) => c.column_name === 'notes');
    const used = await office.post(e(`/sync/conflicts/${notes.id}/use`));
    expect(used.status, used.text).toBe(200);
    expect(used.body).toMatchObject({ resolution: 'used' });
    const [phone] = (await openConflicts(office)).filter((c) => c.column_name === 'phone');
    expect((await office.post(e(`/sync/conflicts/${phone.id}/dismiss`))).body).toMatchObject({ resolution: 'dismissed' });
    const again = await office.post(e(`/sync/conflicts/${phone.id}/dismiss`));
    expect(again.body.resolved_at).toBe(
      (await office.get(e('/sync/conflicts'))).body.items.find((c: { id: string }) => c.id === phone.id).resolved_at,
    );
    await syncUntilQuiet();
    for (const client of [office, cloudAdmin]) {
      expect((await client.get(e(`/units/${unitId}`))).body.notes).toBe('dari awan');
      expect(await openConflicts(client)).toEqual([]);
    }
    await expectConverged();
  });

  it("uses a unit's losing code with its search keys and terms, so the unit search finds it by that code on both sites", async () => {
    const unit = (await office.post(e('/units'), { code: 'K-1', occupancy: 'occupied' })).body.id as string;
    await syncUntilQuiet();
    expect((await office.patch(e(`/units/${unit}`), { code: 'K-77' })).status).toBe(200);
    await tick();
    expect((await cloudAdmin.patch(e(`/units/${unit}`), { code: 'K-88' })).status).toBe(200);
    await syncUntilQuiet();
    const [code] = (await openConflicts(office)).filter((c) => c.row_id === unit && c.column_name === 'code');
    expect(code).toMatchObject({ winning_value: 'K-88', losing_value: 'K-77' });
    const used = await office.post(e(`/sync/conflicts/${code.id}/use`));
    expect(used.status, used.text).toBe(200);
    const found = async (client: ApiClient, q: string) =>
      (await client.get(e(`/units/search?q=${encodeURIComponent(q)}`))).body.items.map((u: { id: string }) => u.id);
    expect(await found(office, 'K-77')).toEqual([unit]);
    expect(await found(office, '77')).toEqual([unit]);
    expect(await found(office, 'K-88')).toEqual([]);
    await syncUntilQuiet();
    for (const client of [office, cloudAdmin]) {
      expect((await client.get(e(`/units/${unit}`))).body.code).toBe('K-77');
      expect(await found(client, 'k77')).toEqual([unit]);
    }
    await expectConverged();
  });

  it('answers 404 for another estate or an unknown conflict, and 400 for a bad filter', async () => {
    const [any] = (await office.get(e('/sync/conflicts'))).body.items;
    expect((await office.post(`/estates/${sites.cloudHomeEstate}/sync/conflicts/${any.id}/dismiss`)).status).toBe(404);
    expect((await office.post(e('/sync/conflicts/nope/use'))).status).toBe(404);
    expect((await office.get(e('/sync/conflicts?open=2'))).status).toBe(400);
  });
});
