import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { platformDb } from '../../server/sync/platform-db.ts';
import type { TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * The hosted instance writes a pushed batch's new rows table by table (multi-row inserts). A batch whose first row of
 * a child table comes before the first row of its parent table cannot be written in that order; it must still apply
 * whole, as the rows come, and not be refused.
 */
let sites: SyncSites;
let token: string;
const db = (server: TestServer) => platformDb(server.app);

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  const code = (await sites.cloudAdmin.post('/sync/link-codes')).body.code as string;
  const linked = await sites.office.post(`/estates/${sites.estateId}/sync/link`, { cloud_url: sites.cloud.url, code });
  expect(linked.status, linked.text).toBe(201);
  token = (await db(sites.desktop)('sync_links').where({ estate_id: sites.estateId }).first()).token;
});
afterAll(() => sites?.close());

describe('a pushed batch written table by table', () => {
  it('applies a batch whose child table comes before its parent table, row by row, with every row', async () => {
    const { office, desktop, cloud, cloudAdmin, estateId } = sites;
    const e = (p: string) => `/estates/${estateId}${p}`;
    const unitA = (await office.post(e('/units'), { code: 'B-1', occupancy: 'occupied' })).body.id as string;
    const unitB = (await office.post(e('/units'), { code: 'B-2', occupancy: 'occupied' })).body.id as string;
    const residentA = (await office.post(e('/residents'), { name: 'Sari Wulandari', unit_id: unitA, relation: 'owner' })).body.id as string;
    const residentB = (await office.post(e('/residents'), { name: 'Tono Hartono', unit_id: unitB, relation: 'owner' })).body.id as string;
    const change = async (table: string, id: string) => {
      const row = await db(desktop)(table).where({ id }).first();
      const entry = await db(desktop)('outbox').where({ table_name: table, row_id: id }).orderBy('hlc').first();
      return { table, row_id: id, op: 'insert', hlc: entry.hlc, site_id: entry.site_id, row };
    };
    const occupancyOf = async (residentId: string) =>
      (await db(desktop)('unit_occupancies').where({ resident_id: residentId }).first()).id as string;
    const push = (batchId: string, changes: unknown[]) => cloudAdmin.withBearer(token).post('/sync/push', { batch_id: batchId, changes });

    const first = await push('order-1', [
      await change('units', unitA),
      await change('residents', residentA),
      await change('residents', residentB),
    ]);
    expect(first.status, first.text).toBe(200);
    // Occupancies first appear before units, yet the second occupancy names the unit that comes after it.
    const second = await push('order-2', [
      await change('unit_occupancies', await occupancyOf(residentA)),
      await change('units', unitB),
      await change('unit_occupancies', await occupancyOf(residentB)),
    ]);
    expect(second.status, second.text).toBe(200);
    expect(second.body).toMatchObject({ applied: 3, conflicts: 0 });
    for (const table of ['units', 'unit_occupancies']) {
      const there = await db(cloud)(table).where({ estate_id: estateId }).orderBy('id').select('id');
      const here = await db(desktop)(table).where({ estate_id: estateId }).orderBy('id').select('id');
      expect(there, table).toEqual(here);
    }
    // Each applied row is journaled once on the hosted instance, for the other sites' pulls.
    const journaled = await db(cloud)('outbox').where({ estate_id: estateId, table_name: 'unit_occupancies' }).select('row_id');
    expect(journaled.map((r: { row_id: string }) => r.row_id).sort()).toEqual(
      [await occupancyOf(residentA), await occupancyOf(residentB)].sort(),
    );
  });
});
