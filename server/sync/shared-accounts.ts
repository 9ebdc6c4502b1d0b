import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { PlatformStore, platformKnex } from '../db/platform-store.ts';
import { SYSTEM_ACTOR, type ScopedStore } from '../db/scoped-store.ts';
import type { SyncContext } from '../db/sync-context.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../http/errors.ts';
import type { SyncChange } from './sync-change.ts';

/**
 * A linked desktop's view of accounts that also work in another estate on the hosted instance (server/sync/README.md,
 * "Accounts and memberships"). The hosted instance sends such an account's row without its password hash; the desktop
 * records that (`sync_shared_accounts`, site-local) and from then on refuses, itself, a change of the account's e-mail,
 * phone or password, which the hosted instance would refuse. A change that was already waiting in the outbox when the
 * account became shared is set aside (`sync_set_aside`) so the estate's other changes, money included, go on.
 */

type Row = Record<string, unknown>;

/** Columns of a shared account that are no longer this estate's to change: who signs in, and how. */
export const SHARED_CREDENTIAL_COLUMNS = ['email', 'phone', 'password_hash', 'status', 'deleted_at'] as const;

/** The code the hosted instance answers a push with when it refuses a change to an account that works elsewhere. */
export const ACCOUNT_REFUSED_CODE = 'SYNC_ACCOUNT_OUTSIDE_ESTATE';

const SET_ASIDE_MESSAGE =
  'Perubahan e-mail, nomor HP atau kata sandi akun ini tidak dikirim ke server awan: akun ini juga dipakai di perumahan lain di sana, jadi hanya pemiliknya yang dapat mengubahnya. Di komputer kantor perubahan ini tetap berlaku.';

/**
 * After a pulled page is applied (same transaction): an account row that came without its password hash is shared
 * with another estate on the hosted instance; one that came with it (it left the other estate) is the estate's own
 * again. Rows that do not carry the hash column at all can only be the stripped ones: an account the hosted instance
 * knows without a password still sends `password_hash: null`.
 */
export async function recordArrivedAccounts(trx: Knex.Transaction, estateId: string, changes: readonly SyncChange[]): Promise<void> {
  const latest = new Map<string, boolean>();
  for (const change of changes) if (change.table === 'users') latest.set(change.row_id, 'password_hash' in change.row);
  if (!latest.size) return;
  const at = nowIso();
  for (const [userId, withHash] of latest) {
    if (withHash) await trx('sync_shared_accounts').where({ estate_id: estateId, user_id: userId }).del();
    else
      await trx('sync_shared_accounts')
        .insert({ estate_id: estateId, user_id: userId, marked_at: at })
        .onConflict(['estate_id', 'user_id'])
        .ignore();
  }
}

/**
 * The accounts a refused push named (`details` of the hosted instance's answer, account-sync.ts): shared there too,
 * also when no row without a hash has come yet (an account that joined the other estate before the hosted instance
 * journaled such joins). Anything else in `details` is ignored.
 */
export async function recordRefusedAccounts(knex: Knex, estateId: string, details: unknown): Promise<void> {
  if (!Array.isArray(details)) return;
  const ids = details
    .map((d) => (d && typeof d === 'object' && (d as Row).table === 'users' ? (d as Row).row_id : undefined))
    .filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 36);
  if (!ids.length) return;
  const at = nowIso();
  await knex('sync_shared_accounts')
    .insert([...new Set(ids)].map((userId) => ({ estate_id: estateId, user_id: userId, marked_at: at })))
    .onConflict(['estate_id', 'user_id'])
    .ignore();
}

/** Whether the account's row last arrived from a hosted instance without its hash (any estate linked here). */
export async function sharedOnHostedInstance(knex: Knex | Knex.Transaction, userId: string): Promise<boolean> {
  return Boolean(await platformKnex(knex)('sync_shared_accounts').where({ user_id: userId }).first('user_id'));
}

/** Refuses, as the office is refused for an account of another estate here, to change a shared account's sign-in. */
export async function refuseIfShared(knex: Knex | Knex.Transaction, userId: string): Promise<void> {
  if (await sharedOnHostedInstance(knex, userId)) {
    throw new ForbiddenError(
      'Akun ini juga dipakai di perumahan lain, jadi kata sandinya hanya bisa diganti oleh pemiliknya.',
      'ACCOUNT_OUTSIDE_ESTATE',
    );
  }
}

/**
 * Outgoing account rows of shared accounts leave their sign-in columns behind: the hosted instance keeps those, and a
 * value this desktop still holds from a set-aside change would have the whole batch refused again.
 */
export async function withoutSharedCredentials(
  knex: Knex | Knex.Transaction,
  estateId: string,
  changes: SyncChange[],
): Promise<SyncChange[]> {
  const ids = [...new Set(changes.filter((c) => c.table === 'users').map((c) => c.row_id))];
  if (!ids.length) return changes;
  const shared = new Set<string>();
  for (let i = 0; i < ids.length; i += 200) {
    const rows = (await knex('sync_shared_accounts')
      .where({ estate_id: estateId })
      .whereIn('user_id', ids.slice(i, i + 200))
      .select('user_id')) as { user_id: string }[];
    for (const r of rows) shared.add(r.user_id);
  }
  if (!shared.size) return changes;
  return changes.map((change) => {
    if (change.table !== 'users' || !shared.has(change.row_id)) return change;
    const row: Row = { ...change.row };
    for (const column of SHARED_CREDENTIAL_COLUMNS) delete row[column];
    return { ...change, row };
  });
}

/**
 * After the hosted instance refused a push for an account that works elsewhere there, and the pull recorded which
 * accounts are shared: this desktop's waiting changes of those accounts' sign-in (or whole rows) are set aside, as
 * acknowledged, and kept in `sync_set_aside` for the office. Only account rows: no money row is ever set aside.
 * Returns how many were set aside (none: the refusal is not one this desktop can explain, and sync stops as before).
 */
export async function setAsideSharedAccountChanges(knex: Knex, sync: SyncContext, estateId: string, siteId: string): Promise<number> {
  return new PlatformStore(knex, SYSTEM_ACTOR, sync).transaction(async (tx) => {
    const trx = tx.knex as Knex.Transaction;
    const waiting = (await trx('outbox')
      .where({ site_id: siteId, table_name: 'users' })
      .whereNull('synced_at')
      .where((q) => q.where('estate_id', estateId).orWhereNull('estate_id'))
      .whereIn('row_id', trx('sync_shared_accounts').where({ estate_id: estateId }).select('user_id'))
      .select('id', 'row_id', 'columns')) as { id: string; row_id: string; columns: string | null }[];
    const refused = waiting.filter((entry) => namesCredentials(entry.columns));
    if (!refused.length) return 0;
    const at = nowIso();
    for (const entry of refused) {
      await trx('outbox').where({ id: entry.id }).update({ synced_at: at });
      await trx('sync_set_aside').insert({
        id: newId(),
        estate_id: estateId,
        outbox_id: entry.id,
        table_name: 'users',
        row_id: entry.row_id,
        code: ACCOUNT_REFUSED_CODE,
        created_at: at,
      });
    }
    return refused.length;
  });
}

/** An outbox row's columns (null: every column, an insert) name one of the sign-in columns. */
function namesCredentials(columns: string | null): boolean {
  if (!columns) return true;
  try {
    const named = JSON.parse(columns) as unknown;
    return !Array.isArray(named) || named.some((c) => (SHARED_CREDENTIAL_COLUMNS as readonly string[]).includes(String(c)));
  } catch {
    return true;
  }
}

export interface SetAsideChange {
  id: string;
  user_id: string;
  name: string | null;
  created_at: string;
  code: string;
  message: string;
}

/** The estate's set-aside changes not handled yet, for the Sinkronisasi page, newest first (the message in Indonesian). */
export async function setAsideChanges(knex: Knex | Knex.Transaction, estateId: string): Promise<SetAsideChange[]> {
  const rows = (await knex('sync_set_aside')
    .leftJoin('users', 'users.id', 'sync_set_aside.row_id')
    .where('sync_set_aside.estate_id', estateId)
    .whereNull('sync_set_aside.handled_at')
    .orderBy([
      { column: 'sync_set_aside.created_at', order: 'desc' },
      { column: 'sync_set_aside.id', order: 'desc' },
    ])
    .limit(50)
    .select('sync_set_aside.id', 'sync_set_aside.row_id', 'sync_set_aside.code', 'sync_set_aside.created_at', 'users.name')) as Row[];
  return rows.map((r) => ({
    id: String(r.id),
    user_id: String(r.row_id),
    name: typeof r.name === 'string' ? r.name : null,
    created_at: String(r.created_at),
    code: String(r.code),
    message: SET_ASIDE_MESSAGE,
  }));
}

/** The answer to marking a set-aside change that is already marked (a replay, or another office was first). */
export const SET_ASIDE_HANDLED_CODE = 'SYNC_SET_ASIDE_HANDLED';

/**
 * The office has put the account right by hand (the person signs in with the account the hosted instance knows):
 * the change leaves the Sinkronisasi page. The row stays, with who marked it and when, and the marking is audited.
 * Marking it again is refused (409) and changes nothing; two offices at once: the second is refused.
 */
export async function markSetAsideHandled(store: ScopedStore, id: string): Promise<void> {
  await store.transaction(async (tx) => {
    const held = (await tx.query('sync_set_aside').where('sync_set_aside.id', id).first('id', 'handled_at')) as Row | undefined;
    if (!held) throw new NotFoundError('Perubahan akun yang disisihkan');
    const marked = await tx.updateWhere(
      'sync_set_aside',
      (q) => q.where('id', id).whereNull('handled_at'),
      { handled_at: nowIso(), handled_by: tx.actor.userId },
      'sync.set_aside.handled',
    );
    if (!marked.length) throw new ConflictError(SET_ASIDE_HANDLED_CODE, 'Perubahan akun ini sudah ditandai selesai ditangani.');
  });
}
