/**
 * The merge rules of this step of sync, as plain data and pure functions (no database): which tables travel, which
 * are append-only facts, and how two versions of a row compare. server/sync/README.md explains each rule.
 */

/**
 * Money rows: written once, never updated (invoices are voided or credited, payments reversed, cash-book entries
 * corrected by a reversing entry). Sync is their union: the same id with the same content is the same fact; the same
 * id with different content is a conflict kept for review and never overwrites what is held.
 */
export const APPEND_ONLY_TABLES: readonly string[] = [
  'billing_runs',
  'invoices',
  'invoice_lines',
  'invoice_adjustments',
  'payments',
  'payment_allocations',
  'payment_reversals',
  'credit_movements',
  'credit_refunds',
  'cashbook_entries',
  'cashbook_period_events',
  'receipts',
];

/**
 * Synced tables sync does not carry: an invite code and a membership invitation are redeemed on the site that made
 * them (their links name its address), and the estate row itself is created by pairing. Accounts and memberships
 * travel under the rules of account-sync.ts.
 */
export const NOT_CARRIED_TABLES: readonly string[] = ['invites', 'membership_invitations', 'estates'];

/**
 * Reference columns that are set once and never unset (an acknowledgement), with the columns that belong to them. Per
 * field the later version wins, and another site's later insert of the same row (a notice both sites raised) would
 * put a null back over an acknowledgement. So for these a value beats no value whatever the versions, and of two
 * values the earlier one stands (the first acknowledgement, as on one site), its companions going with it.
 */
export const SET_ONCE_COLUMNS: Readonly<Record<string, { column: string; with: readonly string[] }>> = {
  ledger_notices: { column: 'acknowledged_at', with: ['acknowledged_by'] },
};

/** Whether the incoming value of a set-once column replaces the held one (see SET_ONCE_COLUMNS). */
export function setOnceIncomingWins(
  once: { column: string; with: readonly string[] },
  incoming: Record<string, unknown>,
  held: Record<string, unknown>,
): boolean {
  const spell = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const mine = spell(held[once.column]);
  const theirs = spell(incoming[once.column]);
  if (theirs === null) return false;
  if (mine === null) return true;
  if (theirs !== mine) return theirs < mine;
  // The same moment twice: the companions decide, the same way on every site.
  const key = (row: Record<string, unknown>) => JSON.stringify(once.with.map((c) => spell(row[c])));
  return key(incoming) < key(held);
}

/**
 * Columns holding bytes (proof images and PDFs, cash-book attachments). JSON has no bytes: a Buffer would travel as
 * `{type: 'Buffer', data: [...]}` and land in the other database as text, so these travel as base64 strings.
 */
export const BINARY_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  payment_proofs: ['data'],
  cashbook_attachments: ['content'],
  announcement_attachments: ['data'],
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The row as it travels: its byte columns as base64. */
export function rowForTransport(table: string, row: Record<string, unknown>): Record<string, unknown> {
  const columns = BINARY_COLUMNS[table];
  if (!columns) return row;
  const out = { ...row };
  for (const column of columns) {
    const value = out[column];
    if (value instanceof Uint8Array) out[column] = Buffer.from(value).toString('base64');
  }
  return out;
}

/** The row as it is stored: base64 back to bytes; null when a byte column holds anything but base64 text. */
export function rowFromTransport(table: string, row: Record<string, unknown>): Record<string, unknown> | null {
  const columns = BINARY_COLUMNS[table];
  if (!columns) return row;
  const out = { ...row };
  for (const column of columns) {
    if (!(column in out) || out[column] === null) continue;
    const value = out[column];
    if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) return null;
    out[column] = Buffer.from(value, 'base64');
  }
  return out;
}

/** Largest batch a push or a pull carries. */
export const BATCH_SIZE = 500;

/**
 * A pushed batch is also cut by its encoded size: rows carry proofs and cash-book attachments as base64 (up to 5 MB
 * a file, ~6.7 MB encoded), so 500 rows can weigh far more than a JSON body may. Rows are added to a batch while it
 * stays under this many bytes; a row larger on its own travels alone.
 */
export const BATCH_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The push route's own body limit (every other route keeps 1 MB): room for one row of the largest file base64 encoded,
 * still bounded. Beyond it the hosted instance answers 413 `SYNC_BATCH_TOO_LARGE`.
 */
export const PUSH_BODY_MAX_BYTES = 8 * 1024 * 1024;

/** Beyond this difference between the two clocks the office is warned (sync still runs: HLC orders the changes). */
export const CLOCK_SKEW_WARNING_MS = 2 * 60 * 1000;

export function isAppendOnly(table: string): boolean {
  return APPEND_ONLY_TABLES.includes(table);
}

/**
 * Schema versions are migration names (`20261203000700_sync_links`): their timestamp prefix orders them. Negative when
 * `a` is older than `b`.
 */
export function compareSchemaVersions(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How two databases spell one value: booleans as 0/1 (SQLite) or true/false, bigints as strings (pg). */
function canonical(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value === true) return '1';
  if (value === false) return '0';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return String(Number(value));
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Whether an incoming money row states the same fact as the row held, column by column of the incoming row. */
export function sameFact(incoming: Record<string, unknown>, held: Record<string, unknown>): boolean {
  return Object.keys(incoming).every((column) => canonical(incoming[column]) === canonical(held[column]));
}

/**
 * Last writer wins per row for reference data in this step: the change with the later hybrid logical clock value.
 * A replay of the change already held (equal values) changes nothing.
 */
export function incomingWins(incomingHlc: string, heldHlc: string | null): boolean {
  return heldHlc === null || incomingHlc > heldHlc;
}
