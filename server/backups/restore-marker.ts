import type { Knex } from 'knex';
import { platformKnex } from '../db/platform-store.ts';

/** Written into a restored database by the office's restore: which backup the books came back from, and when. */
export const RESTORED_FROM_KEY = 'restored_from';

/** The dashboard says so for this long after a restore; the backups page keeps showing it. */
export const RESTORED_NOTICE_MS = 14 * 24 * 3_600_000;

export interface RestoredFrom {
  /** When the backup was made (null: an uploaded file with no recorded change). */
  backup_at: string | null;
  restored_at: string;
  /** The backup's file name. */
  source: string;
  by_user_id: string | null;
}

export async function readRestoredFrom(knex: Knex): Promise<RestoredFrom | null> {
  const row = (await platformKnex(knex)('installation_settings').where({ key: RESTORED_FROM_KEY }).first('value')) as
    | { value: string }
    | undefined;
  if (!row) return null;
  try {
    const parsed = JSON.parse(row.value) as RestoredFrom;
    return typeof parsed.restored_at === 'string' ? parsed : null;
  } catch {
    return null;
  }
}
