/**
 * Per-field merge of reference rows (pure: no database). Each column of a row has its own version: the clock value
 * of the newest outbox row that names it (an insert names every column), the site that wrote it, and `seen`, the
 * newest version of that column from any other site known there. server/sync/README.md explains the rule.
 */

export interface FieldVersion {
  hlc: string;
  site: string;
  /** Newest version of this column from a site other than `site` that this side holds ('' when none). */
  seen: string;
  /** The version is the row's insert: a row with the same id raised on two sites is one fact, not two edits. */
  insert: boolean;
}

export interface OutboxVersionEntry {
  hlc: string;
  site_id: string;
  /** JSON array of column names, or null for every column (an insert). */
  columns: string | null;
}

/**
 * Never merged one by one: the row's identity, and `updated_at`, which every update sets (sites keep the later of
 * the two, apply-reference.ts).
 */
const NOT_MERGED = new Set(['id', 'estate_id', 'updated_at']);

export function mergedColumns(row: Record<string, unknown>): string[] {
  return Object.keys(row).filter((c) => !NOT_MERGED.has(c));
}

function namedColumns(entry: OutboxVersionEntry): string[] | null {
  if (entry.columns === null || entry.columns === undefined) return null;
  try {
    const parsed = JSON.parse(entry.columns);
    return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === 'string') : null;
  } catch {
    return null;
  }
}

/** Each column's version from a row's outbox entries. */
export function fieldVersions(columns: readonly string[], entries: readonly OutboxVersionEntry[]): Map<string, FieldVersion> {
  const named = entries.map((e) => ({ ...e, named: namedColumns(e) }));
  const out = new Map<string, FieldVersion>();
  for (const column of columns) {
    const versions = named.filter((e) => e.named === null || e.named.includes(column));
    if (!versions.length) continue;
    const newest = versions.reduce((a, b) => (b.hlc > a.hlc ? b : a));
    const seen = versions.filter((e) => e.site_id !== newest.site_id).reduce((m, e) => (e.hlc > m ? e.hlc : m), '');
    out.set(column, { hlc: newest.hlc, site: newest.site_id, seen, insert: newest.named === null });
  }
  return out;
}

/** How both databases spell one value (booleans as 0/1, integers as numbers), for comparing two versions. */
export function canonicalValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return '1';
  if (value === false) return '0';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value) && !/^-?0\d/.test(value)) return String(Number(value));
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface FieldConflict {
  column: string;
  winner: 'incoming' | 'held';
  incomingValue: unknown;
  heldValue: unknown;
  incomingHlc: string;
  heldHlc: string;
  incomingSite: string;
  heldSite: string;
}

export interface FieldMerge {
  /** Columns to write, with the incoming values that won. */
  patch: Record<string, unknown>;
  /** The clock value each written column carries (the incoming version's). */
  taken: Map<string, string>;
  /** Columns both sides changed while apart, to keep the losing value of. */
  conflicts: FieldConflict[];
}

/**
 * Merges an incoming row into the held one column by column: a column the two sides hold alike is left alone; one
 * that differs takes the later version. The two changed the same column while apart when neither had seen the
 * other's version: then the losing value is reported. A change without versions (`incomingFields` undefined) counts
 * every column at `incomingHlc` and reports nothing, as the per-row rule did.
 */
export function mergeFields(args: {
  incoming: Record<string, unknown>;
  held: Record<string, unknown>;
  incomingHlc: string;
  incomingSite: string;
  /** An insert's columns are not edits: the same row inserted on two sites loses no one's change. */
  incomingIsInsert?: boolean;
  incomingFields?: Record<string, string>;
  incomingSeen?: Record<string, string>;
  local: Map<string, FieldVersion>;
  /** A set-once column of this table and its companions (merge-policy.ts): decided by value, not by version. */
  setOnce?: { column: string; with: readonly string[]; incomingWins: boolean };
}): FieldMerge {
  const { incoming, held, local, setOnce } = args;
  const merge: FieldMerge = { patch: {}, taken: new Map(), conflicts: [] };
  const onceColumns = setOnce ? [setOnce.column, ...setOnce.with] : [];
  for (const column of mergedColumns(incoming)) {
    if (!(column in held) || canonicalValue(incoming[column]) === canonicalValue(held[column])) continue;
    const inHlc = args.incomingFields?.[column] ?? args.incomingHlc;
    if (onceColumns.includes(column)) {
      if (setOnce?.incomingWins) {
        merge.patch[column] = incoming[column];
        merge.taken.set(column, inHlc);
      }
      continue;
    }
    const mine = local.get(column);
    const heldHlc = mine?.hlc ?? '';
    const incomingWins = inHlc > heldHlc;
    if (incomingWins) {
      merge.patch[column] = incoming[column];
      merge.taken.set(column, inHlc);
    }
    const seen = args.incomingSeen?.[column];
    const apart =
      seen !== undefined &&
      mine !== undefined &&
      !mine.insert &&
      !args.incomingIsInsert &&
      mine.site !== args.incomingSite &&
      heldHlc > seen &&
      inHlc > mine.seen;
    if (apart) {
      merge.conflicts.push({
        column,
        winner: incomingWins ? 'incoming' : 'held',
        incomingValue: incoming[column],
        heldValue: held[column],
        incomingHlc: inHlc,
        heldHlc,
        incomingSite: args.incomingSite,
        heldSite: mine.site,
      });
    }
  }
  return merge;
}
