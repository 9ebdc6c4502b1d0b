import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { deterministicId } from '../ledger/index.ts';
import { mergeFields, type FieldConflict } from './field-merge.ts';
import { fieldVersionsOf } from './field-versions.ts';
import { SET_ONCE_COLUMNS, setOnceIncomingWins } from './merge-policy.ts';
import type { SyncChange } from './sync-change.ts';

type Row = Record<string, unknown>;

/** The id a kept losing value has on every site: the same row, column and pair of versions name the same conflict. */
export function fieldConflictId(
  estateId: string,
  table: string,
  rowId: string,
  c: Pick<FieldConflict, 'column' | 'incomingHlc' | 'heldHlc'>,
): string {
  const [a, b] = [c.incomingHlc, c.heldHlc].sort();
  return deterministicId('sync_field_conflict', estateId, table, rowId, c.column, a, b);
}

/**
 * Merges an incoming reference row into the held one column by column (field-merge.ts). Returns the columns to write
 * with their versions, and the losing values of columns both sides changed while apart, for `keepLosingValues`.
 */
export async function mergeIntoHeld(
  trx: Knex.Transaction,
  estateId: string,
  change: SyncChange,
  row: Row,
  held: Row,
): Promise<{ patch: Row; taken: Map<string, string>; losing: Row[] }> {
  const local = (await fieldVersionsOf(trx, change.table, [held])).get(change.row_id) ?? new Map();
  const once = SET_ONCE_COLUMNS[change.table];
  const merge = mergeFields({
    incoming: row,
    held,
    incomingHlc: change.hlc,
    incomingSite: change.site_id,
    // A conflict about a kept losing value would only repeat it; an insert is nobody's edit.
    incomingIsInsert: change.op === 'insert' || change.table === 'sync_field_conflicts',
    incomingFields: change.fields,
    incomingSeen: change.seen,
    local,
    setOnce: once && { ...once, incomingWins: setOnceIncomingWins(once, row, held) },
  });
  const at = nowIso();
  const losing = merge.conflicts.map((c): Row => {
    const incomingWon = c.winner === 'incoming';
    return {
      id: fieldConflictId(estateId, change.table, change.row_id, c),
      table_name: change.table,
      row_id: change.row_id,
      column_name: c.column,
      winning_value: JSON.stringify(incomingWon ? c.incomingValue : c.heldValue) ?? null,
      losing_value: JSON.stringify(incomingWon ? c.heldValue : c.incomingValue) ?? null,
      winning_hlc: incomingWon ? c.incomingHlc : c.heldHlc,
      losing_hlc: incomingWon ? c.heldHlc : c.incomingHlc,
      winning_site_id: incomingWon ? c.incomingSite : c.heldSite,
      losing_site_id: incomingWon ? c.heldSite : c.incomingSite,
      created_at: at,
      updated_at: at,
    };
  });
  const patch: Row = { ...merge.patch };
  // Every update sets updated_at, so it is no one's edit: both sites keep the later of the two.
  if ('updated_at' in held && typeof row.updated_at === 'string' && row.updated_at > String(held.updated_at ?? '')) {
    patch.updated_at = row.updated_at;
    if (!merge.taken.size) await trx(change.table).where({ id: change.row_id }).update({ updated_at: row.updated_at });
  }
  return { patch, taken: merge.taken, losing };
}

/** The outbox rows an applied change is journaled as: one per version taken (all columns of an insert: one, null). */
export function appliedVersions(hlc: string, taken: Map<string, string> | undefined): Array<[string, string | null]> {
  if (!taken) return [[hlc, null]];
  const byHlc = new Map<string, string[]>();
  for (const [column, version] of taken) byHlc.set(version, [...(byHlc.get(version) ?? []), column]);
  return [...byHlc].map(([version, columns]) => [version, JSON.stringify(columns.sort())]);
}

/**
 * Keeps losing values in `sync_field_conflicts`, written through the store so the conflict itself syncs and the office
 * sees it on every site. Called once the batch's own rows are written: the other site's record of the same conflict
 * (same id) may be in the batch, and the first one written stays. Returns how many this call wrote.
 */
export async function keepLosingValues(store: ScopedStore, losing: readonly Row[]): Promise<number> {
  let written = 0;
  for (const row of losing) {
    if (await store.insertUnlessExists('sync_field_conflicts', row, ['id'], 'sync.field_conflict')) written++;
  }
  return written;
}
