import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import type { ScopedStore } from '../db/scoped-store.ts';

/**
 * Bulk writers for append-only money rows (invoice lines, allocations, credit movements). They insert in batches
 * and write one outbox row per inserted row; the calling service writes one audit row describing the whole
 * action, so a billing run of 40,000 rows does not write 40,000 audit rows.
 */
type Row = Record<string, unknown>;

// SQLite allows 32,766 bound variables per statement (PostgreSQL 65,535); stay well under both.
const MAX_BINDINGS = 30_000;

/**
 * A multi-row `insert … values (…), (…)`. knex compiles multi-row inserts for SQLite as `select … union all
 * select …`, which costs noticeably more to build and parse at billing-run sizes; VALUES lists work on both
 * SQLite and PostgreSQL.
 */
async function insertValues(tx: ScopedStore, table: string, rows: Row[]): Promise<void> {
  const columns = Object.keys(rows[0]);
  const perRow = `(${columns.map(() => '?').join(', ')})`;
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  const batch = Math.max(1, Math.floor(MAX_BINDINGS / columns.length));
  for (let i = 0; i < rows.length; i += batch) {
    const slice = rows.slice(i, i + batch);
    const bindings: Knex.Value[] = [];
    for (const row of slice) for (const c of columns) bindings.push(row[c] === undefined ? null : (row[c] as Knex.Value));
    await tx.knex.raw(head + slice.map(() => perRow).join(', '), bindings);
  }
}

export async function appendRows(tx: ScopedStore, table: string, rows: Row[]): Promise<Row[]> {
  if (!rows.length) return [];
  const at = nowIso();
  const full = rows.map((r) => ({ id: newId(), created_at: at, ...r, estate_id: tx.estateId }));
  await insertValues(tx, table, full);
  await tx.outboxMany(table, full.map((r) => r.id as string), 'insert');
  return full;
}

export interface AllocationRow {
  unit_id: string;
  invoice_id: string;
  payment_id: string | null;
  amount: number;
  reason: 'payment' | 'credit' | 'payment_reversal' | 'void' | 'clawback';
  reverses_allocation_id?: string | null;
}

export interface CreditMovementRow {
  unit_id: string;
  amount: number;
  kind: 'payment_excess' | 'applied' | 'void_release' | 'payment_reversal' | 'clawback' | 'refund';
  payment_id?: string | null;
  invoice_id?: string | null;
  refund_id?: string | null;
}

export async function appendAllocations(tx: ScopedStore, rows: AllocationRow[]): Promise<Row[]> {
  return appendRows(tx, 'payment_allocations', rows.filter((r) => r.amount !== 0).map((r) => ({ reverses_allocation_id: null, ...r })));
}

export async function appendCreditMovements(tx: ScopedStore, rows: CreditMovementRow[]): Promise<Row[]> {
  return appendRows(
    tx,
    'credit_movements',
    rows.filter((r) => r.amount !== 0).map((r) => ({ payment_id: null, invoice_id: null, refund_id: null, ...r })),
  );
}
