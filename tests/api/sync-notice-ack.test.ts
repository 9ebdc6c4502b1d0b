import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PlatformStore } from '../../server/db/platform-store.ts';
import { SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { applyChanges } from '../../server/sync/apply-changes.ts';
import type { SyncChange } from '../../server/sync/sync-change.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import type { ApiClient, TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * An acknowledged ledger notice stays acknowledged when the other site's own raising of the same notice arrives later:
 * the treasurer reads the overpayment notice on the office desktop (SQLite) before the hosted instance's (PostgreSQL,
 * `pgUrl`) copy of it arrives, an insert with a later clock value and no acknowledgement. Per field the later version
 * would win and open the notice again on both sides; an acknowledgement is set once (merge-policy.ts).
 */
let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
const e = (p: string) => `/estates/${estateId}${p}`;
const db = (server: TestServer) => platformDb(server.app);

async function sync() {
  const run = await office.post(e('/sync/run'));
  expect(run.status, run.text).toBe(200);
  expect(run.body.ok, run.text).toBe(true);
  return run.body;
}

async function syncUntilQuiet() {
  for (let i = 0; i < 4; i++) {
    const run = await sync();
    if (run.pushed === 0 && run.pulled === 0) return;
  }
  throw new Error('sync did not settle');
}

/** Keeps this desktop's waiting outbox rows (of `tables`, or all) from going up until the returned function runs. */
async function holdBack(tables?: string[]) {
  const q = db(desktop)('outbox').where({ estate_id: estateId }).whereNull('synced_at');
  if (tables) q.whereIn('table_name', tables);
  const ids = ((await q.select('id')) as { id: string }[]).map((r) => r.id);
  await db(desktop)('outbox').whereIn('id', ids).update({ synced_at: 'held back' });
  return async () => void (await db(desktop)('outbox').whereIn('id', ids).update({ synced_at: null }));
}

const noticeOn = async (server: TestServer, id: string) =>
  (await db(server)('ledger_notices').where({ id }).first('acknowledged_at', 'acknowledged_by')) as
    | { acknowledged_at: string | null; acknowledged_by: string | null }
    | undefined;

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, office, estateId } = sites);
  const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
  expect((await office.post(e('/sync/link'), { cloud_url: cloud.url, code })).status).toBe(201);
}, 120_000);
afterAll(() => sites?.close());

describe('an acknowledged notice meets the other site’s later insert of it', () => {
  it('stays acknowledged on both sites', async () => {
    const unit = (await office.post(e('/units'), { code: 'N-1', occupancy: 'occupied' })).body.id as string;
    const charge = await office.post(e('/charges'), {
      name: 'Iuran N-1',
      amount: 150_000,
      period: '2026-11',
      due_date: '2026-11-20',
      unit_ids: [unit],
    });
    expect(charge.status, charge.text).toBe(201);
    await syncUntilQuiet();
    const invoice = (await office.get(e(`/invoices?unit_id=${unit}`))).body.items[0].id as string;
    for (const [client, method] of [
      [cloudAdmin, 'qris'],
      [office, 'cash'],
    ] as const) {
      const paid = await client.post(e('/payments'), {
        unit_id: unit,
        amount: 150_000,
        method,
        paid_at: '2026-11-05',
        invoice_ids: [invoice],
      });
      expect(paid.status, paid.text).toBe(201);
    }

    // The desktop pulls the online payment while its cash waits: it raises the notice, and the treasurer reads it.
    const releaseCash = await holdBack();
    expect((await sync()).pulled).toBeGreaterThan(0);
    const [notice] = (await office.get(e('/ledger/notices?open=1'))).body.items.filter((n: { unit_id: string }) => n.unit_id === unit);
    expect(notice).toBeDefined();
    const ack = await office.post(e(`/ledger/notices/${notice.id}/acknowledge`));
    expect(ack.status, ack.text).toBe(200);
    const acknowledged = await noticeOn(desktop, notice.id);
    expect(acknowledged?.acknowledged_at).toBeTruthy();

    // The hosted instance raised the same notice on its own while it had not seen the desktop's (what it does when
    // the cash reaches it before the desktop's notice): that insert, unacknowledged and later in clock order than the
    // acknowledgement, reaches the desktop.
    const releaseNotice = await holdBack(['ledger_notices']);
    await releaseCash();
    const held = (await db(desktop)('ledger_notices').where({ id: notice.id }).first()) as Record<string, unknown>;
    const raisedThere = { ...held, acknowledged_at: null, acknowledged_by: null };
    const hlc = cloud.app.sync.clock.tick();
    const change: SyncChange = {
      table: 'ledger_notices',
      row_id: notice.id,
      op: 'insert',
      hlc,
      site_id: cloud.app.sync.siteId,
      row: raisedThere,
      fields: Object.fromEntries(Object.keys(raisedThere).map((c) => [c, hlc])),
      seen: Object.fromEntries(Object.keys(raisedThere).map((c) => [c, ''])),
    };
    await new PlatformStore(desktop.db.knex, SYSTEM_ACTOR, desktop.app.sync).transaction((tx) =>
      applyChanges(tx.knex as Knex.Transaction, estateId, [change], { acknowledged: true, sync: desktop.app.sync }),
    );
    expect(await noticeOn(desktop, notice.id)).toEqual(acknowledged);

    await releaseNotice();
    await syncUntilQuiet();
    expect(await noticeOn(desktop, notice.id)).toEqual(acknowledged);
    expect(await noticeOn(cloud, notice.id)).toEqual(acknowledged);
    for (const client of [office, cloudAdmin]) {
      const open = (await client.get(e('/ledger/notices?open=1'))).body.items.filter((n: { unit_id: string }) => n.unit_id === unit);
      expect(open).toEqual([]);
    }
  });
});
