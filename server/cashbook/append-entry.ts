import type { ScopedStore } from '../db/scoped-store.ts';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { dialectOf } from '../db/knex.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { entryHash, GENESIS_HASH, HASHED_FIELDS, type ChainedEntry } from './entry-hash.ts';
import { assertPeriodsOpen, monthClosedError } from './period-closing-store.ts';
import { assertCashbookHome } from './home-site.ts';
import { preparedStatementName, queryTemplate } from '../db/query-template.ts';

export type CashbookEntryRow = ChainedEntry;

export interface EntryDraft {
  account_id: string;
  direction: 'in' | 'out';
  amount: number;
  category: string;
  entry_date: string;
  description: string;
  proof_number?: string | null;
  source_type: string;
  source_id?: string | null;
  reverses_entry_id?: string | null;
  transfer_id?: string | null;
  recorded_by: string | null;
}

// Read back exactly what the hash covers, so a column added to the hash is never missing when the chain is verified.
const ENTRY_COLUMNS: string[] = [...HASHED_FIELDS, 'prev_hash', 'hash'];

const chainHeadQuery = queryTemplate<'estateId'>((knex, p) =>
  knex('cashbook_entries').where('estate_id', p.estateId).orderBy('seq', 'desc').first('seq', 'hash'),
);

// The latest close or reopen of one month (a month is closed when its latest event is a close: period-closing-store.ts)
// and the chain head, as one row.
const MONTH_AND_HEAD_SQL = `select
    (select e.action from cashbook_period_events e where e.estate_id = :estate_id and e.period = ?
      order by e.created_at desc, e.id desc limit 1) as period_action,
    h.seq, h.hash
  from (select 1 as one) o
  left join (select c.seq, c.hash from cashbook_entries c where c.estate_id = :estate_id order by c.seq desc limit 1) h on 1 = 1`;

export function normalizeEntry(row: Record<string, unknown>): CashbookEntryRow {
  return { ...(row as unknown as CashbookEntryRow), seq: Number(row.seq), amount: Number(row.amount) };
}

/**
 * The only writer of cash-book entries: checks the month is open and the account belongs to this estate, then
 * links each entry to the chain head. Must run inside the caller's transaction so the entries land with whatever
 * they record (a payment, a transfer's other leg).
 */
export async function appendCashbookEntries(
  tx: ScopedStore,
  drafts: EntryDraft[],
  opts: { accountsChecked?: boolean; homeChecked?: boolean } = {},
): Promise<CashbookEntryRow[]> {
  return tx.transaction(async (t) => {
    for (const d of drafts) {
      if (!Number.isSafeInteger(d.amount) || d.amount <= 0) throw new ValidationError('Jumlah harus bilangan bulat positif.', 'amount');
    }
    // Locked before the month check: a close waits for this append, or this append sees the close.
    await lockCashbook(t);
    // homeChecked: the caller asked isCashbookHome in this transaction and posts nothing when it is not.
    if (!opts.homeChecked) await assertCashbookHome(t);
    const periods = [...new Set(drafts.map((d) => d.entry_date.slice(0, 7)))];
    let head: { seq: number | string; hash: string } | undefined;
    if (periods.length === 1 && opts.accountsChecked) {
      // A payment's line: its month and the chain head in one statement, since every other payment of the estate
      // waits while this one holds the lock.
      const [row] = await t.estateRows<{ period_action: string | null; seq: number | string | null; hash: string | null }>(
        MONTH_AND_HEAD_SQL,
        [periods[0]],
      );
      if (row?.period_action === 'close') throw monthClosedError(periods[0]);
      if (row?.seq != null && row.hash != null) head = { seq: row.seq, hash: row.hash };
    } else {
      await assertPeriodsOpen(
        t,
        drafts.map((d) => d.entry_date),
      );
      // accountsChecked: the caller read the accounts as live rows of this estate inside this same transaction.
      if (!opts.accountsChecked) {
        const accountIds = [...new Set(drafts.map((d) => d.account_id))];
        const found = await t.live('cashbook_accounts').whereIn('cashbook_accounts.id', accountIds).select('id');
        if (found.length !== accountIds.length) throw new NotFoundError('Akun kas');
      }
      [head] = await t.select<{ seq: number | string; hash: string }>(chainHeadQuery, {});
    }
    let seq = head ? Number(head.seq) : 0;
    let prevHash: string = head ? head.hash : GENESIS_HASH;

    const written: CashbookEntryRow[] = [];
    for (const d of drafts) {
      seq += 1;
      const content = {
        id: newId(),
        estate_id: t.estateId,
        seq,
        account_id: d.account_id,
        direction: d.direction,
        amount: d.amount,
        category: d.category,
        entry_date: d.entry_date,
        description: d.description,
        proof_number: d.proof_number ?? null,
        source_type: d.source_type,
        source_id: d.source_id ?? null,
        reverses_entry_id: d.reverses_entry_id ?? null,
        transfer_id: d.transfer_id ?? null,
        recorded_by: d.recorded_by,
        created_at: nowIso(),
      };
      const hash = entryHash(prevHash, content);
      const row = { ...content, prev_hash: prevHash, hash };
      await t.appendOnly('cashbook_entries', row, 'cashbook_entries.create');
      written.push(row);
      prevHash = hash;
    }
    return written;
  });
}

/**
 * The estate's cash book, locked until the transaction ends: appends (the chain head), month closing and reopening,
 * and the first-use default accounts. SQLite serialises writers already; PostgreSQL needs the lock so two appends
 * cannot share a seq and a month cannot close under an entry being written into it.
 */
export async function lockCashbook(tx: ScopedStore): Promise<void> {
  if (dialectOf(tx.knex as never) !== 'postgres') return;
  // Held until the transaction ends, so asking again (a posting, then the append it calls) needs no round trip.
  if (cashbookLocked.has(tx.knex)) return;
  await tx.knex.raw(LOCK_SQL, [`cashbook:${tx.estateId}`]).options({ name: preparedStatementName(LOCK_SQL) });
  if (tx.inTransaction) cashbookLocked.add(tx.knex);
}

const LOCK_SQL = 'select pg_advisory_xact_lock(hashtext(?))';

/** The transactions (each store's knex inside one: one per transaction and estate) holding their cash-book lock. */
const cashbookLocked = new WeakSet<object>();

const entryBySourceQuery = queryTemplate<'estateId' | 'sourceType' | 'sourceId' | 'direction'>((knex, p) =>
  knex('cashbook_entries')
    .where({ estate_id: p.estateId, source_type: p.sourceType, source_id: p.sourceId, direction: p.direction })
    .first(ENTRY_COLUMNS),
);

export async function findEntryBySource(
  tx: ScopedStore,
  sourceType: string,
  sourceId: string,
  direction: 'in' | 'out',
): Promise<CashbookEntryRow | undefined> {
  const [row] = await tx.select(entryBySourceQuery, { sourceType, sourceId, direction });
  return row ? normalizeEntry(row) : undefined;
}

export { ENTRY_COLUMNS };
