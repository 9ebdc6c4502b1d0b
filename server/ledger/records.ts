import type { ScopedStore } from '../db/scoped-store.ts';
import { NotFoundError } from '../http/errors.ts';

/**
 * Money tables have no tombstone column (they are never deleted), so the scoped store's `get` (which filters
 * `deleted_at`) does not apply; this is the same estate-scoped lookup without it.
 */
export async function getRecord<T = Record<string, unknown>>(store: ScopedStore, table: string, id: string, what: string): Promise<T> {
  if (typeof id !== 'string' || id.length > 64) throw new NotFoundError(what);
  const row = await store.query(table).where(`${table}.id`, id).first();
  if (!row) throw new NotFoundError(what);
  return row as T;
}

export async function unitCodes(store: ScopedStore, unitIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(unitIds)];
  const map = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await store
      .query('units')
      .whereIn('units.id', ids.slice(i, i + 500))
      .select('id', 'code');
    for (const r of rows) map.set(r.id, r.code);
  }
  return map;
}
