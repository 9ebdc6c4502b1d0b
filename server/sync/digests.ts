import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { nowIso } from '../db/clock.ts';
import { dialectOf } from '../db/knex.ts';
import type { AppContext } from '../http/app-context.ts';
import { isCarried, withoutSiteLocal } from './apply-changes.ts';
import { BINARY_COLUMNS } from './merge-policy.ts';
import { platformDb } from './platform-db.ts';

/**
 * Per-table digests of one estate's synced data: for each carried table with `estate_id`, the row count and a SHA-256
 * over the rows in id order (id, then every column but `updated_at` and site-local ones, each spelled the same way on
 * SQLite and PostgreSQL). Equal digests mean equal rows; a row changed behind sync's back (a raw update, a restored
 * backup) shows as a table whose digest differs while nothing waits to be sent.
 */
export const tableDigest = z.object({ count: z.number().int(), hash: z.string() });
export const digestsResponse = z.object({ tables: z.record(z.string(), tableDigest) });
export type Digests = z.infer<typeof digestsResponse>['tables'];

const PAGE = 2000;
const NOT_DIGESTED = new Set(['updated_at']);

/** One value as both databases agree on it: booleans as 0/1, numbers (and numeric text from pg) as numbers, bytes as base64. */
function spelled(value: unknown): string {
  if (value === null || value === undefined) return '\u2205';
  if (value === true) return '1';
  if (value === false) return '0';
  if (typeof value === 'number' || typeof value === 'bigint') return String(Number(value));
  if (value instanceof Uint8Array) return `b64:${Buffer.from(value).toString('base64')}`;
  if (typeof value === 'string') return /^-?\d+(\.\d+)?$/.test(value) ? String(Number(value)) : value;
  return JSON.stringify(value);
}

async function estateTables(knex: Knex | Knex.Transaction): Promise<string[]> {
  const rows =
    dialectOf(knex) === 'postgres'
      ? ((
          await knex.raw(
            "select table_name as name from information_schema.columns where column_name = 'estate_id' and table_schema = current_schema()",
          )
        ).rows as { name: string }[])
      : ((await knex.raw(
          "select m.name as name from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and p.name = 'estate_id'",
        )) as { name: string }[]);
  // Memberships are left out: those of an account held back (its e-mail is another account's on the other site,
  // account-sync.ts) stay on their own site by design, and would be named as a difference for ever.
  return [...new Set(rows.map((r) => r.name))].filter((t) => isCarried(t) && t !== 'memberships').sort();
}

export async function estateDigests(knex: Knex | Knex.Transaction, estateId: string): Promise<Digests> {
  const out: Digests = {};
  for (const table of await estateTables(knex)) {
    const hash = createHash('sha256');
    let count = 0;
    let after = '';
    for (;;) {
      const rows = (await knex(table).where('estate_id', estateId).where('id', '>', after).orderBy('id').limit(PAGE)) as Record<
        string,
        unknown
      >[];
      for (const raw of rows) {
        const row = withoutSiteLocal(table, raw);
        // A file's recorded SHA-256 stands for its bytes, which one site may keep in a bucket (server/files/).
        const bytesByHash = typeof row.sha256 === 'string' ? (BINARY_COLUMNS[table] ?? []) : [];
        hash.update(String(row.id)).update('\u001e');
        for (const column of Object.keys(row).sort()) {
          if (NOT_DIGESTED.has(column) || bytesByHash.includes(column)) continue;
          hash.update(column).update('\u001f').update(spelled(row[column])).update('\u001f');
        }
        hash.update('\n');
      }
      count += rows.length;
      if (rows.length < PAGE) break;
      after = String(rows[rows.length - 1].id);
    }
    out[table] = { count, hash: hash.digest('hex') };
  }
  return out;
}

/** Tables whose digests differ (a table only one side has counts as differing). */
export function divergedTables(a: Digests, b: Digests): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((t) => a[t]?.count !== b[t]?.count || a[t]?.hash !== b[t]?.hash).sort();
}

async function cloudDigests(cloudUrl: string, token: string): Promise<Digests> {
  const res = await fetch(`${cloudUrl}/api/v1/sync/digests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{}',
    signal: AbortSignal.timeout(60_000),
  });
  if (!res.ok) throw new Error(`digests answered ${res.status}`);
  return digestsResponse.parse(await res.json()).tables;
}

/** What a link remembers of its last comparison, and whether its first upload has been through. */
export interface DigestCheckState {
  digest_checked_at: string | null;
  digest_diverged: string | null;
  /** Null until a cycle of this link has finished. */
  last_sync_at: string | null;
}

/**
 * Whether the cycle that just moved something compares digests. Hashing every row of a large estate on both sides is
 * heavy, so: not during the link's first upload (the cycle that sends the whole estate; the next cycle that moves
 * something compares), and at most once per `intervalMs` per link. While an alert stands it is checked again after
 * every such cycle, so a repaired table clears without waiting for the interval.
 */
export function digestComparisonDue(link: DigestCheckState, nowMs: number, intervalMs: number): boolean {
  if (!link.last_sync_at) return false;
  const standing = (() => {
    try {
      const parsed = JSON.parse(link.digest_diverged ?? '[]');
      return Array.isArray(parsed) && parsed.length > 0;
    } catch {
      return false;
    }
  })();
  if (standing || !link.digest_checked_at) return true;
  return nowMs - Date.parse(link.digest_checked_at) >= intervalMs;
}

/**
 * Compares this desktop's digests with the hosted instance's and keeps the tables that differ on the link (an empty
 * list clears an earlier alert). A write landing on either side between the two reads could make a table differ for
 * a moment, so a table is named only when it differs in two comparisons in a row. Returns the tables named, or null
 * when the comparison could not run (the cycle's own error already tells the office why).
 */
export async function compareDigestsWithCloud(app: AppContext, estateId: string): Promise<string[] | null> {
  const knex = platformDb(app);
  const link = (await knex('sync_links').where({ estate_id: estateId }).first()) as
    | { id: string; cloud_url: string; token: string }
    | undefined;
  if (!link) return null;
  try {
    let diverged = divergedTables(await estateDigests(knex, estateId), await cloudDigests(link.cloud_url, link.token));
    if (diverged.length) {
      const again = divergedTables(await estateDigests(knex, estateId), await cloudDigests(link.cloud_url, link.token));
      diverged = diverged.filter((t) => again.includes(t));
    }
    await knex('sync_links')
      .where({ id: link.id })
      .update({ digest_checked_at: nowIso(), digest_diverged: JSON.stringify(diverged) });
    return diverged;
  } catch {
    return null;
  }
}

const ALERT = 'Data di komputer ini dan di server awan berbeda pada tabel: {}. Jangan ubah data itu dulu dan hubungi pengelola.';

/** The office's alert for the tables that differ, in Indonesian (the route translates it), or null. */
export function digestAlert(link: { digest_checked_at?: string | null; digest_diverged?: string | null } | undefined) {
  let tables: string[] = [];
  try {
    const parsed = JSON.parse(link?.digest_diverged ?? '[]');
    if (Array.isArray(parsed)) tables = parsed.filter((t): t is string => typeof t === 'string');
  } catch {
    tables = [];
  }
  if (!tables.length) return null;
  return { tables, checked_at: link?.digest_checked_at ?? null, message: ALERT.replace('{}', tables.join(', ')) };
}
