import type { Knex } from 'knex';
import { dialectOf } from './knex.ts';

/**
 * Which tables an estate's archive carries, read from the database itself (every table with an `estate_id` column,
 * the same test row-security.ts applies), so a table a later migration adds moves with the estate unless it is
 * named below on purpose.
 */

/**
 * Estate tables left behind, and why. Credentials and links are valid only where they were issued: a moved estate
 * pairs its kiosks and its desktop again and issues new invite and reset links. Queues and caches describe this
 * installation's work. Secrets sealed with this installation's key could not be opened by another one.
 */
export const TABLES_LEFT_BEHIND: Readonly<Record<string, string>> = {
  api_tokens: 'device and script credentials of this installation',
  invites: 'one-time invite codes (a new invite link is issued on the new installation)',
  password_resets: 'one-time password links',
  sync_links: "the desktop's link to its hosted instance",
  sync_link_codes: 'pairing codes',
  sync_credentials: 'desktop credentials issued by this hosted instance',
  sync_batches: 'batches this hosted instance applied',
  sync_shared_accounts: 'accounts this desktop learnt are shared with another estate on its hosted instance',
  sync_set_aside: "this desktop's changes its hosted instance refused",
  jobs: "this installation's queue",
  webhook_events: "the gateway's deliveries to this installation",
  idempotency_keys: 'replay cache of requests to this installation',
  messages: "this installation's outgoing messages (a copy elsewhere would be sent again)",
  message_channels: "channel accounts sealed with this installation's key",
  payment_gateways: "gateway keys sealed with this installation's key",
};

/** Columns cleared on the way out: a device's pairing code is a credential too. */
export const COLUMNS_LEFT_BEHIND: Readonly<Record<string, readonly string[]>> = {
  gate_devices: ['pairing_code_hash', 'pairing_expires_at'],
};

/**
 * Columns left out altogether: the outbox's commit order on PostgreSQL (the writing transaction's id and an identity,
 * sync's pull cursor) belongs to the database that wrote the row; the importing one fills in its own.
 */
export const COLUMNS_OF_THIS_DATABASE: Readonly<Record<string, readonly string[]>> = {
  outbox: ['txid', 'seq'],
};

/** Account columns an archive carries; never the password hash, lockouts or this installation's admin flag. */
export const USER_COLUMNS = ['id', 'name', 'email', 'phone', 'status', 'created_at', 'updated_at', 'deleted_at'] as const;

function assertName(name: string): string {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`not a table or column name: ${name}`);
  return name;
}

/** Columns of `table`, in the database's order. */
export async function columnsOf(knex: Knex | Knex.Transaction, table: string): Promise<string[]> {
  assertName(table);
  if (dialectOf(knex) === 'postgres') {
    const result = await knex.raw(
      'select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = ? order by ordinal_position',
      [table],
    );
    return (result.rows as { name: string }[]).map((r) => r.name);
  }
  const rows = (await knex.raw(`pragma table_info("${table}")`)) as { name: string }[];
  return rows.map((r) => r.name);
}

/**
 * The estate tables an archive carries, parents before children (foreign keys), so rows can be inserted in the
 * order they are read. `everyTable`: also the estate tables an archive leaves behind (sync writes some of them).
 */
export async function estateTablesInOrder(knex: Knex | Knex.Transaction, opts: { everyTable?: boolean } = {}): Promise<string[]> {
  let tables: string[];
  let edges: { table: string; ref: string }[];
  if (dialectOf(knex) === 'postgres') {
    tables = (
      await knex.raw(
        `select c.table_name as name from information_schema.columns c
           join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
          where c.table_schema = current_schema() and c.column_name = 'estate_id'`,
      )
    ).rows.map((r: { name: string }) => r.name);
    // pg_catalog, not information_schema: its constraint views show only tables the current role owns, and the
    // server's requests run as a role that owns none.
    edges = (
      await knex.raw(
        `select child.relname as "table", parent.relname as ref from pg_constraint con
           join pg_class child on child.oid = con.conrelid
           join pg_class parent on parent.oid = con.confrelid
           join pg_namespace n on n.oid = child.relnamespace
          where con.contype = 'f' and n.nspname = current_schema()`,
      )
    ).rows;
  } else {
    const names = (await knex('sqlite_master').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%').pluck('name')) as string[];
    tables = [];
    edges = [];
    for (const name of names) {
      if (!/^[a-z_]+$/.test(name)) continue;
      if ((await columnsOf(knex, name)).includes('estate_id')) tables.push(name);
      for (const fk of (await knex.raw(`pragma foreign_key_list("${name}")`)) as { table: string }[])
        edges.push({ table: name, ref: fk.table });
    }
  }
  // Tables tests make for themselves are not the estate's.
  const carried = new Set(
    tables.filter((t) => (opts.everyTable || !(t in TABLES_LEFT_BEHIND)) && !t.startsWith('test_') && /^[a-z_]+$/.test(t)),
  );
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (order.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const e of edges) if (e.table === table && e.ref !== table && carried.has(e.ref)) visit(e.ref);
    visiting.delete(table);
    order.push(table);
  };
  for (const table of [...carried].sort()) visit(table);
  return order;
}
