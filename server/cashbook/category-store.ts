import { BUILT_IN_CATEGORIES, builtInCategory } from '../../shared/cash-categories.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError, UnprocessableError } from '../http/errors.ts';
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
}

interface CategoryRow {
  id: string;
  code: string;
  name: string;
  direction: 'in' | 'out';
}

async function ownCategories(store: ScopedStore): Promise<CategoryRow[]> {
  return (await store.live('cashbook_categories').orderBy('name').select('id', 'code', 'name', 'direction')) as CategoryRow[];
}

/** What the entry form offers: the built-in categories a person may choose, then the estate's own by name. */
export async function listCategories(store: ScopedStore): Promise<CashbookCategory[]> {
  const builtIn = BUILT_IN_CATEGORIES.filter((c) => c.direction !== 'system').map((c) => ({
    code: c.code,
    direction: c.direction as 'in' | 'out',
    name: c.id,
    name_en: c.en,
    built_in: true,
  }));
  const own = (await ownCategories(store)).map((c) => ({
    code: c.code,
    direction: c.direction,
    name: c.name,
    name_en: null,
    built_in: false,
  }));
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
    const own = await ownCategories(tx);
    if (BUILT_IN_CATEGORIES.some((c) => sameName(c.id, name) || sameName(c.en, name)) || own.some((c) => sameName(c.name, name))) {
      throw new ConflictError('CATEGORY_EXISTS', `Kategori "${name}" sudah ada.`, 'name');
    }
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
    return { code, direction: body.direction, name, name_en: null, built_in: false };
  });
}

/** An entry's category must be one the list offers; system categories are written by the system only. */
export async function assertEntryCategory(store: ScopedStore, code: string): Promise<void> {
  const builtIn = builtInCategory(code);
  if (builtIn && builtIn.direction !== 'system') return;
  if (!builtIn) {
    const own = await store.live('cashbook_categories').where('cashbook_categories.code', code).first('id');
    if (own) return;
  }
  throw new UnprocessableError('UNKNOWN_CATEGORY', 'Pilih kategori dari daftar, atau tambahkan kategori baru dengan namanya.', 'category');
}
