import type { z } from 'zod';
import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { isUniqueViolation } from '../http/errors.ts';

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

/**
 * One row per key for the life of the estate: a removed setting is a tombstone, and writing the key again brings that
 * row back rather than adding a second one (the key is unique per estate, tombstones included, so sync merges one row).
 */
export async function writeSetting<T>(store: ScopedStore, key: string, value: T): Promise<T> {
  try {
    return await writeSettingOnce(store, key, value);
  } catch (err) {
    // Two first writes of a key at once: the loser retries and finds the winner's row.
    if (!isUniqueViolation(err) || store.inTransaction) throw err;
    return writeSettingOnce(store, key, value);
  }
}

async function writeSettingOnce<T>(store: ScopedStore, key: string, value: T): Promise<T> {
  return store.transaction(async (tx) => {
    const row = (await tx.query('estate_settings').where('estate_settings.key', key).first()) as
      | (SettingRow & { deleted_at: string | null })
      | undefined;
    const json = JSON.stringify(value);
    if (!row) {
      await tx.insert('estate_settings', { key, value: json, deleted_at: null }, `settings.${key}.create`);
    } else if (!row.deleted_at) {
      await tx.update('estate_settings', row.id, { value: json }, `settings.${key}.update`);
    } else {
      const changes = { value: json, deleted_at: null, updated_at: nowIso() };
      await tx.updateWhere('estate_settings', (q) => q.where('estate_settings.id', row.id), changes, `settings.${key}.restore`);
    }
    return value;
  });
}

export async function removeSetting(store: ScopedStore, key: string): Promise<void> {
  const row = await findRow(store, key);
  if (row) await store.softDelete('estate_settings', row.id, `settings.${key}.delete`);
}
