import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError } from '../http/errors.ts';
import { queryTemplate } from '../db/query-template.ts';

// Asked on every payment and cash-book line: compiled once, and with its limit written into the SQL so SQLite keeps
// the prepared statement instead of compiling it again for each bound limit.
const homeSiteQuery = queryTemplate<'id'>((knex, p) => knex('estates').where({ id: p.id }).first('cashbook_home_site_id'));

/**
 * The cash book is one hash chain per estate: two sites appending while apart would both write the entry after the
 * same head, at the same `seq`, and the books could never be merged. So one site writes it, the estate's home site
 * (`estates.cashbook_home_site_id`: null means this installation; server/sync/README.md says who is home when).
 * Elsewhere money facts are still recorded; their postings are made by the home site when the facts arrive by sync.
 */
export async function isCashbookHome(tx: ScopedStore): Promise<boolean> {
  // The estate row is the scope itself, not estate-scoped data, so it is read by id.
  const [row] = await homeSiteQuery<{ cashbook_home_site_id: string | null }>(tx.knex, { id: tx.estateId });
  const home = row?.cashbook_home_site_id ?? null;
  return home === null || home === tx.sync.siteId;
}

/** Refuses what only the chain's writer may do (manual entries, transfers, corrections, closing a month). */
export async function assertCashbookHome(tx: ScopedStore): Promise<void> {
  if (!(await isCashbookHome(tx))) {
    throw new ConflictError(
      'CASHBOOK_HOME_ELSEWHERE',
      'Buku kas perumahan ini dicatat di komputer kantor yang tertaut. Catat transaksi kas dan tutup buku di sana.',
    );
  }
}
