import type { Knex } from 'knex';
import { dialectOf } from '../db/knex.ts';
import { preparedStatementName } from '../db/query-template.ts';
import type { ScopedStore } from '../db/scoped-store.ts';

/**
 * Row locks for the read-check-write paths on money. A unit's balance (what its invoices still owe, its credit) is
 * derived from append-only rows, so there is no single row whose update would serialise two payments; the unit row
 * stands in for its ledger. Every writer of a unit's allocations or credit movements locks the unit first, then reads
 * the balance it is about to change.
 *
 * On PostgreSQL (READ COMMITTED) the lock is held until commit, and every statement after it sees what the previous
 * holder committed. The embedded SQLite database runs one transaction at a time on its one connection, so the lock
 * is already held by whoever is running and nothing needs to be sent.
 *
 * Lock order, to keep two transactions from waiting on each other: transfer proof → units (sorted by id) →
 * the estate's cash-book lock (cashbook/append-entry.ts).
 */
function onPostgres(tx: ScopedStore): boolean {
  return dialectOf(tx.knex as Knex) === 'postgres';
}

/**
 * Locks the units' rows for the rest of the transaction. `FOR NO KEY UPDATE` conflicts with itself but not with the
 * key-share locks that foreign-key checks take, so inserting rows that reference a unit does not wait on it.
 * True when a lock was taken, i.e. when what was read before the call may have changed since.
 */
export async function lockUnits(tx: ScopedStore, unitIds: Iterable<string>): Promise<boolean> {
  if (!tx.inTransaction) throw new Error('lockUnits needs a transaction');
  if (!onPostgres(tx)) return false;
  const ids = [...new Set(unitIds)].sort();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const sql = `select "id" from "units" where "estate_id" = ? and "id" in (${chunk.map(() => '?').join(', ')}) order by "id" for no key update`;
    // Every payment locks its unit: a named prepared statement for the usual one or few units.
    const query = tx.knex.raw(sql, [tx.estateId, ...chunk]);
    if (chunk.length <= 8) query.options({ name: preparedStatementName(sql) });
    await query;
  }
  return true;
}

export async function lockUnit(tx: ScopedStore, unitId: string): Promise<void> {
  await lockUnits(tx, [unitId]);
}

/** Locks one estate-owned row (a transfer proof under review) so its status is read and changed by one request at a time. */
export async function lockRow(tx: ScopedStore, table: 'payment_submissions', id: string): Promise<void> {
  if (!tx.inTransaction) throw new Error('lockRow needs a transaction');
  if (!onPostgres(tx)) return;
  await tx.knex.raw(`select "id" from "${table}" where "estate_id" = ? and "id" = ? for update`, [tx.estateId, id]);
}

/**
 * A transaction-scoped advisory lock on a name (PostgreSQL), for work that has no row to lock yet: a billing run of
 * a period before its invoices exist, a cash-book month before its first close event.
 */
export async function lockName(tx: ScopedStore, name: string): Promise<void> {
  if (!tx.inTransaction) throw new Error('lockName needs a transaction');
  if (!onPostgres(tx)) return;
  await tx.knex.raw('select pg_advisory_xact_lock(hashtext(?))', [name]);
}
