/**
 * What the journal (audit_log + outbox) covers, table by table. Every other table holds data: each write to it goes
 * through a store (ScopedStore for estate data, PlatformStore for platform data) that writes its audit row and, unless
 * listed below as audit-only, its outbox row in the same transaction. tests/api/outbox-coverage.test.ts reads this
 * module, so a new table is journaled (and checked) unless it is named here on purpose.
 */

/**
 * Infrastructure, not data: counters, throttles, queues, the request replay cache and the journal itself. They
 * describe this server's work, not the estate, and are never synced; journaling them would also journal the journal.
 */
export const UNJOURNALED_TABLES: readonly string[] = [
  'audit_log',
  'outbox',
  'sequences',
  'login_sources',
  'attempt_limits',
  'rate_limit_hits',
  'jobs',
  'job_leases',
  // this installation's own backups and their checks (server/backups/)
  'backups',
  'webhook_events',
  'idempotency_keys',
  'site',
  'knex_migrations',
  'knex_migrations_lock',
  // sync's own bookkeeping: the desktop's link and cursor, the batches the hosted instance applied, money rows held
  // back for review (server/sync/README.md)
  'sync_links',
  'sync_batches',
  'sync_conflicts',
  // a desktop's own record of accounts shared with another estate on the hosted instance, and of its changes the
  // hosted instance refused for that reason (server/sync/shared-accounts.ts)
  'sync_shared_accounts',
  'sync_set_aside',
  // the unit search's index, derived from units, residents and their links on each site (server/units/search-terms.ts)
  'unit_search_terms',
];

/**
 * Audited but not synced: credentials that are valid only on the server that issued them. A browser session or a
 * bearer token copied to another site would be a sign-in nobody made there; each site issues its own.
 */
export const AUDIT_ONLY_TABLES: readonly string[] = [
  'sessions',
  'api_tokens',
  'installation_settings',
  // Its secrets are sealed with this site's key (secrets/): another site could not open them, and has its own account.
  'payment_gateways',
  // What this site sends and how: each site's outbox is its own work (a copy elsewhere would be sent again), and the
  // channel accounts' secrets are sealed with this site's key.
  'messages',
  'message_channels',
  // Bound to this installation's VAPID key (webpush/): another site could not send to them.
  'webpush_subscriptions',
  'password_resets',
  'sync_link_codes',
  'sync_credentials',
];

/**
 * Bulk money rows (a billing run's invoices and lines, allocations, credit movements, proof files): one outbox row
 * each, but one audit row for the whole action that wrote them, so a run of 40,000 rows writes one audit row.
 */
export const SUMMARY_AUDITED_TABLES: readonly string[] = [
  'invoices',
  'invoice_lines',
  'payment_allocations',
  'credit_movements',
  'payment_proofs',
];

/**
 * Columns that describe this site's use of a row rather than the row itself: a change to only these is audited but
 * not synced (a sign-in at the office is not news for the hosted instance, and two sites would otherwise trade the
 * row back and forth). Sync leaves them out of the rows it sends.
 */
export const SITE_LOCAL_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  // An administrator of one installation (the hosted instance, an office desktop) is not one of the other's.
  // Sign-in failures and the lockout they lead to are counted where the attempts were made.
  users: ['last_login_at', 'is_platform_admin', 'failed_logins', 'locked_until'],
  // The hosted instance suspends its own service to an estate; the office's desktop keeps its books open. Each site
  // records who writes the cash book as seen from itself (null: this site).
  estates: ['suspended_at', 'cashbook_home_site_id'],
  // Where a file's bytes are kept is each site's own (a hosted instance's bucket, an office's database): sync
  // carries the bytes themselves (server/files/README.md).
  payment_proofs: ['stored_in'],
  cashbook_attachments: ['stored_in'],
  announcement_attachments: ['stored_in'],
};

/** Whether a change to `columns` of a row of `table` is synced: the table is, and not every column is site-local. */
export function isSyncedChange(table: string, columns: readonly string[]): boolean {
  if (!isSynced(table)) return false;
  const local = SITE_LOCAL_COLUMNS[table];
  return !local || columns.length === 0 || !columns.every((c) => local.includes(c) || c === 'updated_at');
}

/** Columns never copied into an audit row: the audit log is readable by estate admins and goes into exports. */
export const SECRET_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  users: ['password_hash'],
  sessions: ['token_hash', 'csrf_token'],
  api_tokens: ['token_hash'],
  password_resets: ['token_hash'],
  invites: ['code'],
  gate_devices: ['pairing_code_hash'],
  gate_signing_keys: ['private_key_pem'],
  sync_link_codes: ['code_hash'],
  sync_credentials: ['token_hash'],
  payment_gateways: ['secret_key_enc', 'callback_token_enc'],
  message_channels: ['secret_enc'],
  // The browser's authentication secret: with the endpoint, enough to encrypt to the resident's phone.
  webpush_subscriptions: ['auth'],
};

export function isSynced(table: string): boolean {
  return !UNJOURNALED_TABLES.includes(table) && !AUDIT_ONLY_TABLES.includes(table);
}

/** `value` without the table's secret columns, for the audit row's before/after. */
export function withoutSecrets(table: string, value: unknown): unknown {
  const secret = SECRET_COLUMNS[table];
  if (!secret || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (!secret.includes(key)) out[key] = v;
  return out;
}
