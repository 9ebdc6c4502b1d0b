import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId } from '../../server/db/ids.ts';
import { changeLogAfter } from '../../server/sync/change-log.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * After a desktop's first upload the hosted instance's change log holds the desktop's own changes, which a pull does
 * not send back: the desktop crosses them in a few pulls, and every other site's change among them arrives once, in
 * commit order. The hosted instance runs on PostgreSQL; the same walk over SQLite's rowid is read on the desktop's file.
 */
let sites: SyncSites;
let token: string;
let desktopSite: string;

const OWN_ENTRIES = 60_000;
/** Other sites' changes between runs of the desktop's own: [own entries before it, how many in a row]. */
const OTHERS_AFTER: [number, number][] = [
  [0, 1],
  [499, 2],
  [7_000, 1],
  [12_000, 3],
  [19_999, 1],
  [21_000, 1],
  [OWN_ENTRIES, 2],
];

let millis = 1_800_000_000_000;
const hlc = (site: string) => `${String(millis++).padStart(15, '0')}-00000-${site}`;

/** Writes the log in transactions, each its own txid: own changes (no rows needed, never sent) and units of others. */
async function writeLog(knex: Knex, estateId: string, ownSite: string, memberId: string): Promise<string[]> {
  const at = '2026-12-01T00:00:00.000Z';
  const others: string[] = [];
  let own = 0;
  const ownRun = async (upTo: number) => {
    while (own < upTo) {
      const n = Math.min(upTo - own, 2_000);
      const rows = Array.from({ length: n }, () => ({
        id: newId(),
        estate_id: estateId,
        table_name: 'units',
        row_id: newId(),
        op: 'update',
        hlc: hlc(ownSite),
        site_id: ownSite,
        created_at: at,
      }));
      await knex.transaction(async (trx) => {
        for (let i = 0; i < rows.length; i += 500) await trx('outbox').insert(rows.slice(i, i + 500));
      });
      own += n;
    }
  };
  for (const [before, count] of OTHERS_AFTER) {
    await ownRun(before);
    await knex.transaction(async (trx) => {
      for (let i = 0; i < count; i++) {
        const id = newId();
        const code = `Z-${others.length + 1}`;
        await trx('units').insert({ id, estate_id: estateId, code, sort_key: code, created_at: at, updated_at: at });
        await trx('outbox').insert({
          id: newId(),
          estate_id: estateId,
          table_name: 'units',
          row_id: id,
          op: 'insert',
          hlc: hlc('site-phone'),
          site_id: 'site-phone',
          created_at: at,
        });
        others.push(id);
      }
      // A member's password changed elsewhere: journaled for no estate, merged into the estate's log in order.
      if (before === 12_000) {
        const entry = { estate_id: null, table_name: 'users', row_id: memberId, op: 'update', created_at: at };
        await trx('outbox').insert({ ...entry, id: newId(), hlc: hlc('site-phone'), site_id: 'site-phone' });
        others.push(memberId);
      }
    });
  }
  return others;
}

/** A member of the estate on this site, whose account-wide changes the estate's log carries. */
async function memberOf(knex: Knex): Promise<string> {
  const at = '2026-12-01T00:00:00.000Z';
  const userId = newId();
  await knex('users').insert({ id: userId, name: 'Bendahara', created_at: at, updated_at: at });
  await knex('memberships').insert({
    id: newId(),
    estate_id: sites.estateId,
    user_id: userId,
    role: 'treasurer',
    created_at: at,
    updated_at: at,
  });
  return userId;
}

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  const code = (await sites.cloudAdmin.post('/sync/link-codes')).body.code as string;
  const linked = await sites.office.post(`/estates/${sites.estateId}/sync/link`, { cloud_url: sites.cloud.url, code });
  expect(linked.status, linked.text).toBe(201);
  const link = await platformDb(sites.desktop.app)('sync_links').where({ estate_id: sites.estateId }).first();
  token = link.token;
  desktopSite = sites.desktop.app.sync.siteId;
  expect((await platformDb(sites.cloud.app)('sync_credentials').where({ site_id: desktopSite })).length).toBe(1);
}, 120_000);
afterAll(async () => {
  // The rows written here stand for other sites' changes and have no audit rows; the journal check at close is about
  // the product's own write paths.
  for (const server of sites ? [sites.cloud, sites.desktop] : []) {
    const knex = platformDb(server.app);
    const made = knex('users').where({ name: 'Bendahara' }).select('id');
    await knex('units')
      .where({ estate_id: sites.estateId })
      .where((q) => q.where('code', 'like', 'Z-%').orWhere('code', 'like', 'Y-%'))
      .delete();
    await knex('memberships').whereIn('user_id', made).delete();
    await knex('users').where({ name: 'Bendahara' }).delete();
  }
  await sites?.close();
});

describe('a pull over a long run of the asking site’s own changes', () => {
  it('crosses 60,000 of them in a few pulls and delivers every other change once, in order', async () => {
    const cloud = platformDb(sites.cloud.app);
    // The newest entry a pull of the estate reads: the estate's, or an account-wide one.
    const newest = () =>
      cloud('outbox')
        .where((q) => q.where({ estate_id: sites.estateId }).orWhereNull('estate_id'))
        .orderBy([
          { column: 'txid', order: 'desc' },
          { column: 'seq', order: 'desc' },
        ])
        .select('txid', 'seq')
        .first();
    const { txid, seq } = await newest();
    const others = await writeLog(cloud, sites.estateId, desktopSite, await memberOf(cloud));
    const end = await newest();

    let cursor = `${txid}:${seq}`;
    const received: string[] = [];
    let pulls = 0;
    for (;;) {
      const res = await sites.cloudAdmin.withBearer(token).post('/sync/pull', { cursor });
      expect(res.status, res.text).toBe(200);
      pulls++;
      for (const change of res.body.changes) {
        expect(change.site_id).not.toBe(desktopSite);
        received.push(change.row_id);
      }
      cursor = res.body.cursor;
      if (!res.body.more) break;
      expect(pulls).toBeLessThan(10);
    }
    expect(received).toEqual(others);
    expect(cursor).toBe(`${end.txid}:${end.seq}`);
    // 500 entries a pull walked 120 pulls over the same log.
    expect(pulls).toBeLessThanOrEqual(3);
    const again = await sites.cloudAdmin.withBearer(token).post('/sync/pull', { cursor });
    expect(again.body).toMatchObject({ changes: [], cursor, more: false });
  }, 180_000);

  it('walks a full page of wanted changes no further than its last one', async () => {
    const cloud = platformDb(sites.cloud.app);
    const from = await cloud('outbox')
      .where({ estate_id: sites.estateId })
      .orderBy([
        { column: 'txid', order: 'desc' },
        { column: 'seq', order: 'desc' },
      ])
      .select('txid', 'seq')
      .first();
    const at = '2026-12-01T00:00:00.000Z';
    const ids: string[] = [];
    await cloud.transaction(async (trx) => {
      for (let i = 0; i < 600; i++) {
        const id = newId();
        const code = `Y-${i}`;
        await trx('units').insert({ id, estate_id: sites.estateId, code, sort_key: code, created_at: at, updated_at: at });
        const entry = { estate_id: sites.estateId, table_name: 'units', row_id: id, op: 'insert', created_at: at };
        await trx('outbox').insert({ ...entry, id: newId(), hlc: hlc('site-phone'), site_id: 'site-phone' });
        // An own change after each: the page must end on the 500th wanted one, not on the own change after it.
        await trx('outbox').insert({ ...entry, id: newId(), op: 'update', hlc: hlc(desktopSite), site_id: desktopSite });
        ids.push(id);
      }
    });
    const first = await changeLogAfter(cloud, sites.estateId, desktopSite, `${from.txid}:${from.seq}`);
    expect(first.changes.map((c) => c.row_id)).toEqual(ids.slice(0, 500));
    expect(first.more).toBe(true);
    const page = await cloud('outbox').where({ row_id: ids[499], site_id: 'site-phone' }).select('txid', 'seq').first();
    expect(first.cursor).toBe(`${page.txid}:${page.seq}`);
    const second = await changeLogAfter(cloud, sites.estateId, desktopSite, first.cursor);
    expect(second.changes.map((c) => c.row_id)).toEqual(ids.slice(500));
    expect(second.more).toBe(false);
  }, 60_000);

  it('walks SQLite’s rowid the same way', async () => {
    const desktop = platformDb(sites.desktop.app);
    const last = (await desktop('outbox').max({ rowid: 'rowid' }).first()) as { rowid: number | null };
    const others = await writeLog(desktop, sites.estateId, 'site-office', await memberOf(desktop));
    let cursor = `0:${last.rowid ?? 0}`;
    const received: string[] = [];
    let pulls = 0;
    for (let more = true; more; pulls++) {
      const page = await changeLogAfter(desktop, sites.estateId, 'site-office', cursor);
      received.push(...page.changes.map((c) => c.row_id));
      ({ cursor, more } = page);
    }
    expect(received).toEqual(others);
    const end = (await desktop('outbox').max({ rowid: 'rowid' }).first()) as { rowid: number };
    expect(cursor).toBe(`0:${end.rowid}`);
    expect(pulls).toBeLessThanOrEqual(3);
  }, 180_000);
});
