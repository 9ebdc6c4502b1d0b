import { BUILT_IN_CATEGORIES, builtInCategory } from '../../shared/cash-categories.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../http/errors.ts';
import { nowIso } from '../db/clock.ts';
import { lockCashbook } from './append-entry.ts';
import { categoryCodeFor } from './categories.ts';

export interface CashbookCategory {
  code: string;
  direction: 'in' | 'out';
  /** Indonesian name of a built-in category, or the estate's own name as typed. */
  name: string;
  /** English name of a built-in category; null for an estate's own (shown as typed in every language). */
  name_en: string | null;
  built_in: boolean;
  /** Retired by the estate: old entries keep it and read its name, new entries cannot choose it. */
  retired: boolean;
}

interface CategoryRow {
  id: string;
  code: string;
  name: string;
  direction: 'in' | 'out';
  deleted_at?: string | null;
}

/** Retired ones too: old entries still read their names, so a new category may not take one. */
async function ownCategories(store: ScopedStore): Promise<CategoryRow[]> {
  return (await store.query('cashbook_categories').select('id', 'code', 'name', 'direction', 'deleted_at')) as CategoryRow[];
}

const ownCategory = (c: CategoryRow): CashbookCategory => ({
  code: c.code,
  direction: c.direction,
  name: c.name,
  name_en: null,
  built_in: false,
  retired: c.deleted_at != null,
});

/**
 * The built-in categories a person may choose, then the estate's own by name, retired ones last: the entry form
 * offers the ones not retired, and the entries list still names every category an old entry uses.
 */
export async function listCategories(store: ScopedStore): Promise<CashbookCategory[]> {
  const builtIn = BUILT_IN_CATEGORIES.filter((c) => c.direction !== 'system').map((c) => ({
    code: c.code,
    direction: c.direction as 'in' | 'out',
    name: c.id,
    name_en: c.en,
    built_in: true,
    retired: false,
  }));
  const own = (
    (await store
      .query('cashbook_categories')
      .orderByRaw('case when cashbook_categories.deleted_at is null then 0 else 1 end')
      .orderBy('name')
      .select('id', 'code', 'name', 'direction', 'deleted_at')) as CategoryRow[]
  ).map(ownCategory);
  return [...builtIn, ...own];
}

const sameName = (a: string, b: string) => a.trim().toLocaleLowerCase('id') === b.trim().toLocaleLowerCase('id');

/**
 * Adds a category by the name the treasurer typed; its code is derived from the name. A name already in the list
 * (a built-in one in either language, or the estate's own) answers 409 CATEGORY_EXISTS instead of a near-duplicate.
 */
export async function addCategory(store: ScopedStore, body: { name: string; direction: 'in' | 'out' }): Promise<CashbookCategory> {
  const name = body.name.trim().replace(/\s+/g, ' ');
  return store.transaction(async (tx) => {
    // Two adds of one name at once: the second waits here and then sees the first.
    await lockCashbook(tx);
    await assertNameFree(tx, name);
    // Tombstoned rows keep their code: entries that used it still name it.
    const taken = new Set<string>([
      ...BUILT_IN_CATEGORIES.map((c) => c.code),
      ...((await tx.query('cashbook_categories').select('code')) as { code: string }[]).map((r) => r.code),
    ]);
    const code = categoryCodeFor(name, taken);
    await tx.insert('cashbook_categories', {
      code,
      name,
      direction: body.direction,
      created_by: tx.actor.userId ?? null,
      deleted_at: null,
    });
    return { code, direction: body.direction, name, name_en: null, built_in: false, retired: false };
  });
}

/** A name already in the list (a built-in one in either language, or the estate's own other than `except`) is taken. */
async function assertNameFree(tx: ScopedStore, name: string, except?: string): Promise<void> {
  const own = (await ownCategories(tx)).filter((c) => c.code !== except);
  if (BUILT_IN_CATEGORIES.some((c) => sameName(c.id, name) || sameName(c.en, name)) || own.some((c) => sameName(c.name, name))) {
    throw new ConflictError('CATEGORY_EXISTS', `Kategori "${name}" sudah ada.`, 'name');
  }
}

/** The estate's own category by code, retired or not; a built-in code is refused, the code it had kept. */
async function ownCategoryToChange(tx: ScopedStore, code: string): Promise<CategoryRow> {
  if (builtInCategory(code)) {
    throw new UnprocessableError('CATEGORY_BUILT_IN', 'Kategori bawaan tidak dapat diubah atau dihentikan.', 'code');
  }
  const row = (await tx
    .query('cashbook_categories')
    .where('cashbook_categories.code', code)
    .first('id', 'code', 'name', 'direction', 'deleted_at')) as CategoryRow | undefined;
  if (!row) throw new NotFoundError('Kategori');
  return row;
}

/**
 * Renames one of the estate's own categories. Entries store the code, so every entry (and the hash chain over them)
 * stays as written and reads the new name.
 */
export async function renameCategory(store: ScopedStore, code: string, body: { name: string }): Promise<CashbookCategory> {
  const name = body.name.trim().replace(/\s+/g, ' ');
  return store.transaction(async (tx) => {
    await lockCashbook(tx);
    const row = await ownCategoryToChange(tx, code);
    await assertNameFree(tx, name, code);
    const [after] = await tx.updateWhere(
      'cashbook_categories',
      (q) => q.where('cashbook_categories.id', row.id),
      { name, updated_at: nowIso() },
      'cashbook_categories.rename',
    );
    return ownCategory(after as unknown as CategoryRow);
  });
}

/**
 * Retires (or brings back) one of the estate's own categories: retired, it is no longer offered for new entries,
 * while the entries that used it keep it and its name.
 */
export async function setCategoryRetired(store: ScopedStore, code: string, retired: boolean): Promise<CashbookCategory> {
  return store.transaction(async (tx) => {
    await lockCashbook(tx);
    const row = await ownCategoryToChange(tx, code);
    if ((row.deleted_at != null) === retired) {
      throw new ConflictError(
        retired ? 'CATEGORY_RETIRED' : 'CATEGORY_NOT_RETIRED',
        retired ? `Kategori "${row.name}" sudah dihentikan.` : `Kategori "${row.name}" masih dipakai.`,
      );
    }
    // Retired is the row's tombstone, journaled and synced as one; brought back, it is an update again.
    if (retired) {
      await tx.softDelete('cashbook_categories', row.id, 'cashbook_categories.retire');
      return ownCategory({ ...row, deleted_at: nowIso() });
    }
    const [after] = await tx.updateWhere(
      'cashbook_categories',
      (q) => q.where('cashbook_categories.id', row.id),
      { deleted_at: null, updated_at: nowIso() },
      'cashbook_categories.restore',
    );
    return ownCategory(after as unknown as CategoryRow);
  });
}

/** An entry's category must be one the list offers; system categories are written by the system only. */
export async function assertEntryCategory(store: ScopedStore, code: string): Promise<void> {
  const builtIn = builtInCategory(code);
  if (builtIn && builtIn.direction !== 'system') return;
  if (!builtIn) {
    const own = await store.query('cashbook_categories').where('cashbook_categories.code', code).first('id', 'name', 'deleted_at');
    if (own && own.deleted_at == null) return;
    if (own) {
      throw new UnprocessableError('CATEGORY_RETIRED', `Kategori "${own.name}" sudah dihentikan; pilih kategori lain.`, 'category');
    }
  }
  throw new UnprocessableError('UNKNOWN_CATEGORY', 'Pilih kategori dari daftar, atau tambahkan kategori baru dengan namanya.', 'category');
}
