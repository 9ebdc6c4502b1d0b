import type { Knex } from 'knex';
import { estateToday } from '../calendar/calendar.ts';
import type { PlatformStore } from '../db/platform-store.ts';
import { dialectOf } from '../db/knex.ts';
import { isRole } from '../auth/permissions.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import { email, phone } from '../http/schemas.ts';
import type { PlatformAdmin, PlatformEstate, UserLookup } from './schemas.ts';

type EstateRow = {
  id: string;
  name: string;
  address: string | null;
  timezone: string;
  suspended_at: string | null;
  created_at: string;
};

type Usage = PlatformEstate['usage'];

function countsByEstate(rows: unknown[]): Map<string, number> {
  return new Map((rows as { estate_id: string; n: unknown }[]).map((r) => [r.estate_id, Number(r.n)]));
}

/**
 * Reads here span every estate by nature, so they go through the platform store (never a route's own knex).
 *
 * Usage of many estates in a few grouped queries (not a handful per estate), so the console's list costs the same
 * for ten estates or a thousand. "Active residents" live in a unit on their estate's today: estates are grouped by
 * that day (one per time zone in practice), one query per day.
 */
async function estateUsage(store: PlatformStore, estates: EstateRow[], everyEstate: boolean): Promise<Map<string, Usage>> {
  const knex = store.knex;
  const ids = estates.map((e) => e.id);
  const only = (q: Knex.QueryBuilder, column: string) => (everyEstate ? q : q.whereIn(column, ids));
  const units = countsByEstate(
    await only(knex('units').whereNull('deleted_at'), 'estate_id').groupBy('estate_id').select('estate_id').count({ n: '*' }),
  );
  const users = countsByEstate(
    await only(
      knex('memberships as m')
        .join('users as u', 'u.id', 'm.user_id')
        .whereNull('m.deleted_at')
        .whereNull('m.deactivated_at')
        .whereNull('u.deleted_at'),
      'm.estate_id',
    )
      .groupBy('m.estate_id')
      .select('m.estate_id as estate_id')
      .countDistinct({ n: 'm.user_id' }),
  );
  const byToday = new Map<string, string[]>();
  for (const e of estates) {
    const today = estateToday(e.timezone || 'Asia/Jakarta');
    byToday.set(today, [...(byToday.get(today) ?? []), e.id]);
  }
  const residents = new Map<string, number>();
  for (const [today, group] of byToday) {
    const rows = await knex('unit_occupancies as o')
      .join('residents as r', (j) => j.on('r.id', '=', 'o.resident_id').andOn('r.estate_id', '=', 'o.estate_id'))
      .whereIn('o.estate_id', group)
      .whereNull('o.deleted_at')
      .whereNull('r.deleted_at')
      .where((q) => q.whereNull('o.moved_in_on').orWhere('o.moved_in_on', '<=', today))
      .where((q) => q.whereNull('o.moved_out_on').orWhere('o.moved_out_on', '>', today))
      .groupBy('o.estate_id')
      .select('o.estate_id as estate_id')
      .countDistinct({ n: 'o.resident_id' });
    for (const [id, n] of countsByEstate(rows)) residents.set(id, n);
  }
  // When the estate last synced, from whichever side this server is: the hosted instance records each batch a
  // desktop pushed (sync_batches) and each credential's last contact; a desktop records its own last cycle (sync_links).
  const lastSync = new Map<string, string>();
  const sources: [string, string][] = [
    ['sync_batches', 'applied_at'],
    ['sync_credentials', 'last_seen_at'],
    ['sync_links', 'last_sync_at'],
  ];
  for (const [table, column] of sources) {
    const rows = (await only(knex(table).whereNotNull(column), 'estate_id')
      .groupBy('estate_id')
      .select('estate_id')
      .max({ at: column })) as { estate_id: string; at: string | null }[];
    for (const r of rows) if (r.at && r.at > (lastSync.get(r.estate_id) ?? '')) lastSync.set(r.estate_id, r.at);
  }
  return new Map(
    ids.map((id) => [
      id,
      {
        units: units.get(id) ?? 0,
        active_residents: residents.get(id) ?? 0,
        users: users.get(id) ?? 0,
        last_sync_at: lastSync.get(id) ?? null,
      },
    ]),
  );
}

function platformEstateView(row: EstateRow, usage: Usage): PlatformEstate {
  return {
    id: row.id,
    name: row.name,
    address: row.address ?? null,
    timezone: row.timezone,
    status: row.suspended_at ? 'suspended' : 'active',
    suspended_at: row.suspended_at ?? null,
    created_at: row.created_at,
    usage,
  };
}

const ESTATE_COLUMNS = ['id', 'name', 'address', 'timezone', 'suspended_at', 'created_at'];

/** `%` and `_` typed into the search box are letters, not wildcards. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listPlatformEstates(
  store: PlatformStore,
  filter: { q?: string; status?: 'active' | 'suspended' },
): Promise<PlatformEstate[]> {
  const q = store
    .query('estates')
    .whereNull('deleted_at')
    .orderBy([{ column: 'name' }, { column: 'id' }]);
  if (filter.q) q.whereRaw("lower(name) like ? escape '\\'", [likePattern(filter.q)]);
  if (filter.status === 'active') q.whereNull('suspended_at');
  if (filter.status === 'suspended') q.whereNotNull('suspended_at');
  const rows = (await q.select(ESTATE_COLUMNS)) as EstateRow[];
  const usage = await estateUsage(store, rows, !filter.q && !filter.status);
  return rows.map((row) => platformEstateView(row, usage.get(row.id)!));
}

export async function getPlatformEstate(store: PlatformStore, estateId: string): Promise<PlatformEstate> {
  const row = (await store.query('estates').where({ id: estateId }).whereNull('deleted_at').first(ESTATE_COLUMNS)) as EstateRow | undefined;
  if (!row) throw new NotFoundError('Perumahan');
  const usage = await estateUsage(store, [row], false);
  return platformEstateView(row, usage.get(row.id)!);
}

const ADMIN_COLUMNS = ['id', 'name', 'email', 'phone', 'status', 'last_login_at'];

export async function listPlatformAdmins(store: PlatformStore): Promise<PlatformAdmin[]> {
  return store
    .query('users')
    .where('is_platform_admin', true)
    .whereNull('deleted_at')
    .orderBy([{ column: 'name' }, { column: 'id' }])
    .select(ADMIN_COLUMNS);
}

/**
 * Two administrators revoking each other at once must not both see the other as the one who stays: on PostgreSQL
 * the changes to the platform's administrators run one at a time. SQLite runs one write transaction at a time.
 */
async function lockPlatformAdmins(tx: PlatformStore): Promise<void> {
  if (dialectOf(tx.knex as Knex) === 'postgres') await tx.knex.raw('select pg_advisory_xact_lock(hashtext(?))', ['platform-admins']);
}

async function liveUser(tx: PlatformStore, userId: string) {
  const user = await tx.query('users').where({ id: userId }).whereNull('deleted_at').first(['id', 'is_platform_admin']);
  if (!user) throw new NotFoundError('Akun');
  return user as { id: string; is_platform_admin: unknown };
}

/**
 * Makes an account an administrator of this installation; already one, nothing is written. The flag is site-local
 * (db/journal-policy.ts): the hosted instance's administrators are not an estate office's, nor the other way round.
 */
export async function grantPlatformAdmin(store: PlatformStore, userId: string): Promise<PlatformAdmin> {
  return store.transaction(async (tx) => {
    await lockPlatformAdmins(tx);
    const user = await liveUser(tx, userId);
    if (!user.is_platform_admin) {
      await tx.update(
        'users',
        (q) => q.where({ id: userId }).whereNull('deleted_at'),
        { is_platform_admin: true },
        {
          estateId: null,
          action: 'users.platform_admin_grant',
        },
      );
    }
    return (await tx.query('users').where({ id: userId }).first(ADMIN_COLUMNS)) as PlatformAdmin;
  });
}

/** The installation always keeps one administrator who can sign in: otherwise nobody could manage it again. */
export async function revokePlatformAdmin(store: PlatformStore, userId: string): Promise<void> {
  await store.transaction(async (tx) => {
    await lockPlatformAdmins(tx);
    const user = await liveUser(tx, userId);
    if (!user.is_platform_admin) throw new NotFoundError('Admin platform');
    const other = await tx
      .query('users')
      .where('is_platform_admin', true)
      .whereNull('deleted_at')
      .where('status', 'active')
      .whereNot('id', userId)
      .first('id');
    if (!other)
      throw new ConflictError(
        'LAST_PLATFORM_ADMIN',
        'Ini satu-satunya admin platform yang aktif. Jadikan orang lain admin platform terlebih dahulu.',
        'user_id',
      );
    await tx.update(
      'users',
      (q) => q.where({ id: userId }),
      { is_platform_admin: false },
      {
        estateId: null,
        action: 'users.platform_admin_revoke',
      },
    );
  });
}

/** One account by its exact email or phone (as people sign in), with every estate it belongs to. */
export async function lookUpUser(store: PlatformStore, text: string): Promise<UserLookup> {
  const knex = store.knex;
  const parsed = text.includes('@') ? email.safeParse(text) : phone.safeParse(text);
  if (!parsed.success) throw new ValidationError('Isi email atau nomor HP yang sah.', 'q');
  const user = await knex('users')
    .where(text.includes('@') ? 'email' : 'phone', parsed.data)
    .whereNull('deleted_at')
    .first(['id', 'name', 'email', 'phone', 'status', 'is_platform_admin']);
  if (!user) return { items: [] };
  const memberships = await knex('memberships as m')
    .join('estates as e', 'e.id', 'm.estate_id')
    .where('m.user_id', user.id)
    .whereNull('m.deleted_at')
    .whereNull('e.deleted_at')
    .orderBy([{ column: 'e.name' }, { column: 'm.role' }])
    .select('m.estate_id', 'e.name as estate_name', 'e.suspended_at', 'm.role', 'm.deactivated_at');
  return {
    items: [
      {
        id: user.id,
        name: user.name,
        email: user.email ?? null,
        phone: user.phone ?? null,
        status: user.status,
        is_platform_admin: Boolean(user.is_platform_admin),
        estates: memberships
          .filter((m: { role: unknown }) => isRole(m.role))
          .map(
            (m: { estate_id: string; estate_name: string; suspended_at: string | null; role: string; deactivated_at: string | null }) => ({
              estate_id: m.estate_id,
              estate_name: m.estate_name,
              estate_status: m.suspended_at ? ('suspended' as const) : ('active' as const),
              role: m.role as never,
              membership_status: m.deactivated_at ? ('deactivated' as const) : ('active' as const),
            }),
          ),
      },
    ],
  };
}
