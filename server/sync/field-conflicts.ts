import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { updateResident } from '../residents/index.ts';
import { currentUnitsOf, reindexUnitSearch, updateUnit } from '../units/index.ts';
import { isCarried } from './apply-changes.ts';
import { mergesPerField } from './field-versions.ts';
import type { FieldConflictAnswer } from './field-conflict-schemas.ts';

/**
 * The losing values of reference rows both sites changed while apart (apply-reference.ts), as the office sees them
 * on the Sinkronisasi page: dismissed once read, or used instead of the winner, which is an ordinary update of the
 * row (journaled and synced like any edit, so it reaches the other site as the newest version of that column).
 */
type ConflictRow = {
  id: string;
  table_name: string;
  row_id: string;
  column_name: string;
  winning_value: string | null;
  losing_value: string | null;
  winning_site_id: string;
  created_at: string;
  resolution: 'dismissed' | 'used' | null;
  resolved_at: string | null;
};

const LABEL_COLUMNS: Record<string, string> = { units: 'code', residents: 'name', fee_types: 'name' };

function parsed(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function labelOf(store: ScopedStore, table: string, rowId: string): Promise<string | null> {
  const column = LABEL_COLUMNS[table];
  if (!column) return null;
  const row = await store.find<Record<string, unknown>>(table, rowId, { includeDeleted: true });
  return row ? String(row[column] ?? '') || null : null;
}

async function answer(store: ScopedStore, row: ConflictRow): Promise<FieldConflictAnswer> {
  return {
    id: row.id,
    table_name: row.table_name,
    row_id: row.row_id,
    row_label: await labelOf(store, row.table_name, row.row_id),
    column_name: row.column_name,
    winning_value: parsed(row.winning_value),
    losing_value: parsed(row.losing_value),
    winner: row.winning_site_id === store.sync.siteId ? 'this_site' : 'other_site',
    created_at: row.created_at,
    resolution: row.resolution,
    resolved_at: row.resolved_at,
  };
}

export async function listFieldConflicts(store: ScopedStore, opts: { open?: boolean } = {}): Promise<FieldConflictAnswer[]> {
  const q = store
    .live('sync_field_conflicts')
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
    .limit(200);
  if (opts.open) q.whereNull('resolved_at');
  const rows = (await q.select('*')) as ConflictRow[];
  const out: FieldConflictAnswer[] = [];
  for (const row of rows) out.push(await answer(store, row));
  return out;
}

async function resolve(store: ScopedStore, id: string, resolution: 'dismissed' | 'used'): Promise<FieldConflictAnswer> {
  return store.transaction(async (tx) => {
    const held = await tx.find<ConflictRow>('sync_field_conflicts', id);
    if (!held) throw new NotFoundError('Konflik sinkronisasi');
    if (held.resolved_at) return answer(tx, held);
    if (resolution === 'used') {
      if (!isCarried(held.table_name) || !mergesPerField(held.table_name)) throw new NotFoundError('Konflik sinkronisasi');
      const target = await tx.find<Record<string, unknown>>(held.table_name, held.row_id, { includeDeleted: true });
      if (!target || !(held.column_name in target) || ['id', 'estate_id', 'created_at', 'updated_at'].includes(held.column_name)) {
        throw new ConflictError('SYNC_CONFLICT_STALE', 'Data yang berkonflik sudah tidak ada.');
      }
      const value = parsed(held.losing_value);
      // A unit's code and a resident's name carry derived columns (sort and search keys) and the unit search's terms:
      // the value goes through the unit's or resident's own update, which keeps them with it (and refuses a code
      // another unit took meanwhile).
      const live = target.deleted_at === null || target.deleted_at === undefined;
      if (live && held.table_name === 'units' && held.column_name === 'code' && typeof value === 'string') {
        await updateUnit(tx, held.row_id, { code: value });
      } else if (live && held.table_name === 'residents' && held.column_name === 'name' && typeof value === 'string') {
        await updateResident(tx, held.row_id, { name: value });
      } else {
        await tx.updateWhere(held.table_name, (q) => q.where('id', held.row_id), { [held.column_name]: value, updated_at: nowIso() });
        if (held.table_name === 'units') await reindexUnitSearch(tx, [held.row_id]);
        else if (held.table_name === 'residents') await reindexUnitSearch(tx, await currentUnitsOf(tx, [held.row_id]));
      }
    }
    await tx.updateWhere(
      'sync_field_conflicts',
      (q) => q.where('id', id).whereNull('resolved_at'),
      { resolution, resolved_at: nowIso(), resolved_by: tx.actor.userId, updated_at: nowIso() },
      `sync.field_conflict.${resolution === 'used' ? 'use' : 'dismiss'}`,
    );
    return answer(tx, (await tx.find<ConflictRow>('sync_field_conflicts', id))!);
  });
}

export const dismissFieldConflict = (store: ScopedStore, id: string) => resolve(store, id, 'dismissed');
export const useLosingValue = (store: ScopedStore, id: string) => resolve(store, id, 'used');
