import type { z } from 'zod';
import type { ScopedStore } from '../db/scoped-store.ts';

/**
 * Per-estate settings documents (`printer`, `receipt`), one row per key, JSON in `value`. Kept apart from the
 * estate row so each document is validated, audited and synced on its own.
 */
interface SettingRow {
  id: string;
  key: string;
  value: string;
}

async function findRow(store: ScopedStore, key: string): Promise<SettingRow | undefined> {
  return (await store.live('estate_settings').where('estate_settings.key', key).first()) as SettingRow | undefined;
}

/** The stored document parsed with `schema`; a row that no longer parses (older version, hand edit) reads as absent. */
export async function readSetting<T>(store: ScopedStore, key: string, schema: z.ZodType<T>): Promise<T | null> {
  const row = await findRow(store, key);
  if (!row) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function writeSetting<T>(store: ScopedStore, key: string, value: T): Promise<T> {
  return store.transaction(async (tx) => {
    const row = await findRow(tx, key);
    const json = JSON.stringify(value);
    if (row) await tx.update('estate_settings', row.id, { value: json }, `settings.${key}.update`);
    else await tx.insert('estate_settings', { key, value: json, deleted_at: null }, `settings.${key}.create`);
    return value;
  });
}

export async function removeSetting(store: ScopedStore, key: string): Promise<void> {
  const row = await findRow(store, key);
  if (row) await store.softDelete('estate_settings', row.id, `settings.${key}.delete`);
}
