import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId } from '../../server/db/ids.ts';
import { nowIso } from '../../server/db/clock.ts';
import { auditRow, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { runSyncCycle } from '../../server/sync/desktop-service.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import type { ApiClient, TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * The hosted instance of a linked desktop is not the cash book's home: money facts that arrive there are not posted.
 * Finding that out took three statements per payment (its posting, the cash-book lock, who is home), which was most
 * of a first upload's time on the hosted side; a pushed batch now asks once, whatever the number of payments.
 */
let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let office: ApiClient;
let estateId: string;
const e = (p: string) => `/estates/${estateId}${p}`;

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, office, estateId } = sites);
  const code = (await sites.cloudAdmin.post('/sync/link-codes')).body.code;
  expect((await office.post(e('/sync/link'), { cloud_url: cloud.url, code })).status).toBe(201);
});
afterAll(() => sites?.close());

describe('money facts arriving on a site that is not the home', () => {
  it('a batch of 60 payments without postings asks for the cash-book lock once and posts nothing', async () => {
    const unit = await office.post(e('/units'), { code: 'P-1', occupancy: 'vacant' });
    expect(unit.status, unit.text).toBe(201);
    // Rows written the way a desktop's history arrives in a first upload: payments with their journal rows.
    const at = nowIso();
    const ids: string[] = [];
    await desktop.db.knex.transaction(async (trx) => {
      for (let n = 0; n < 60; n++) {
        const id = newId();
        ids.push(id);
        await trx('payments').insert({
          id,
          estate_id: estateId,
          unit_id: unit.body.id,
          number: `PAY20260105${String(n + 1).padStart(3, '0')}`,
          amount: 150_000,
          method: 'cash',
          paid_at: '2026-01-05T02:00:00.000Z',
          source: 'office',
          created_at: at,
        });
        await trx('outbox').insert({
          id: newId(),
          estate_id: estateId,
          table_name: 'payments',
          row_id: id,
          op: 'insert',
          hlc: desktop.app.sync.clock.tick(),
          site_id: desktop.app.sync.siteId,
          created_at: at,
        });
        await trx('audit_log').insert(
          auditRow(SYSTEM_ACTOR, estateId, { action: 'payments.record', table: 'payments', rowId: id, after: { amount: 150_000 } }, at),
        );
      }
    });
    const statements: string[] = [];
    const listen = (q: { sql: string; bindings?: unknown[] }) => {
      statements.push(`${q.sql} ${JSON.stringify(q.bindings ?? [])}`);
    };
    cloud.app.db.knex.on('query', listen);
    let pushes = 0;
    try {
      const summary = await runSyncCycle(desktop.app, estateId, { afterBatch: () => void pushes++ });
      expect(summary).toMatchObject({ ok: true, error: null, waiting: 0 });
    } finally {
      cloud.app.db.knex.off('query', listen);
    }
    const held = await platformDb(cloud.app)('payments').whereIn('id', ids).count({ n: '*' }).first();
    expect(Number(held?.n)).toBe(60);
    const posted = await platformDb(cloud.app)('cashbook_entries').whereIn('source_id', ids).count({ n: '*' }).first();
    expect(Number(posted?.n)).toBe(0);
    const locks = statements.filter((s) => s.includes('pg_advisory_xact_lock') && s.includes(`cashbook:${estateId}`));
    expect(locks.length).toBeLessThanOrEqual(pushes);
    const entryReads = statements.filter((s) => /from "cashbook_entries"/.test(s));
    expect(entryReads.length).toBeLessThanOrEqual(3 * pushes);
  });
});
