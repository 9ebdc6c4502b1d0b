import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runSyncCycle } from '../../server/sync/desktop-service.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import type { TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * The same month billed on the office desktop (SQLite) and on the hosted instance (PostgreSQL, `pgUrl`) before they
 * meet: each issues the unit's dues invoice (one identity on every site) with its own number. After sync both hold
 * one invoice with one set of lines, the earlier issue, and the replaced issue is kept for review.
 */
let sites: SyncSites;
const e = (p: string) => `/estates/${sites.estateId}${p}`;
const db = (server: TestServer) => platformDb(server.app);

async function ledgerOf(server: TestServer) {
  const invoices = await db(server)('invoices').where({ estate_id: sites.estateId }).orderBy('id').select('id', 'number', 'total');
  const lines = await db(server)('invoice_lines').where({ estate_id: sites.estateId }).orderBy('id').select('id', 'invoice_id', 'amount');
  return {
    invoices: invoices.map((i) => ({ ...i, total: Number(i.total) })),
    lines: lines.map((l) => ({ ...l, amount: Number(l.amount) })),
  };
}

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
}, 60_000);
afterAll(() => sites?.close());

describe('a month billed on both sites while apart', () => {
  it('ends as one invoice with one set of lines on both sites, the earlier issue, the other kept for review', async () => {
    const { office, cloudAdmin, desktop, cloud } = sites;
    const code = (await cloudAdmin.post('/sync/link-codes')).body.code;
    expect((await office.post(e('/sync/link'), { cloud_url: cloud.url, code })).status).toBe(201);
    const fee = await office.post(e('/fee-types'), { code: 'ipl', name: 'IPL', amount: 100_000, basis: 'flat', effective_from: '2026-01' });
    expect(fee.status, fee.text).toBe(201);
    expect((await office.post(e('/units'), { code: 'A-1', occupancy: 'occupied' })).status).toBe(201);
    expect((await runSyncCycle(desktop.app, sites.estateId)).ok).toBe(true);

    const here = await office.post(e('/billing-runs'), { period: '2026-10', due_date: '2026-10-20' });
    expect(here.status, here.text).toBe(201);
    const there = await cloudAdmin.post(e('/billing-runs'), { period: '2026-10', due_date: '2026-10-20' });
    expect(there.status, there.text).toBe(201);
    const before = await ledgerOf(desktop);
    expect(before.invoices).toHaveLength(1);
    expect((await ledgerOf(cloud)).invoices[0].number).not.toBe(before.invoices[0].number);

    expect(await runSyncCycle(desktop.app, sites.estateId)).toMatchObject({ ok: true, waiting: 0 });
    expect(await runSyncCycle(desktop.app, sites.estateId)).toMatchObject({ ok: true, pushed: 0, pulled: 0 });
    const after = await ledgerOf(desktop);
    expect(await ledgerOf(cloud)).toEqual(after);
    // The desktop billed first: its number stands on both sites, and the invoice bills what one month's fee is.
    expect(after.invoices).toEqual([{ id: before.invoices[0].id, number: before.invoices[0].number, total: 100_000 }]);
    expect(after.lines).toHaveLength(1);
    expect(after.lines[0]).toMatchObject({ invoice_id: after.invoices[0].id, amount: 100_000 });
    const replaced = await db(cloud)('sync_conflicts').where({ estate_id: sites.estateId, table_name: 'invoices' }).first();
    expect(JSON.parse(replaced.existing).number).toMatch(/^INV-A\//);
    // Both billing runs stay in the history of each site.
    const runs = (await db(cloud)('billing_runs').where({ estate_id: sites.estateId }).count({ n: '*' }).first()) as { n: unknown };
    expect(Number(runs.n)).toBe(2);
  });
});
