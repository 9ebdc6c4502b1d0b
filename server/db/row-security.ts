import type { Knex } from 'knex';
import { dialectOf } from './knex.ts';
import { preparedStatementName } from './query-template.ts';
import type { DatabaseParams } from './sqlite-direct.ts';

/**
 * Row-level security on PostgreSQL: the second wall behind `ScopedStore`. Every table with an `estate_id` column
 * shows and accepts only the rows of the estate named by `klustera.estate_id`, set with `set_config(…, true)` in the
 * transaction that reads or writes; code that spans estates (sign-in, sessions, job claims, schedules, platform
 * administration) names `klustera.scope = 'platform'` in its own transaction instead. A query that names neither
 * sees nothing. SQLite has one estate office per file and no row security: everything here is a no-op there.
 */

/** The role the server's requests run as: not the tables' owner, not a superuser, NOBYPASSRLS. */
export const APP_ROLE = 'klustera_app';

export const PLATFORM = Symbol('platform scope');
/** An estate id, or the whole platform. */
export type RowScope = string | typeof PLATFORM;

const POLICY = 'estate_rows';
const POLICY_CHECK = "current_setting('klustera.scope', true) = 'platform' or estate_id = current_setting('klustera.estate_id', true)";

/**
 * Creates the app role when the connecting user may, grants it the data (never the migration bookkeeping), and puts
 * the estate policy on every table that has an `estate_id` column now. Run after every migration run, so a table a
 * later migration adds cannot be missed; idempotent, and serialised between processes starting at once.
 */
export async function secureEstateTables(knex: Knex): Promise<void> {
  if (dialectOf(knex) !== 'postgres') return;
  await knex.raw(`
    do $$ begin
      if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
        create role ${APP_ROLE} nologin nosuperuser nobypassrls noinherit;
      end if;
    exception when duplicate_object or unique_violation or insufficient_privilege then null;
    end $$`);
  const role = (await knex.raw('select rolsuper, rolbypassrls from pg_roles where rolname = ?', [APP_ROLE])).rows[0];
  if (!role) {
    throw new Error(
      `The database has no role ${APP_ROLE} and this user may not create it. Have the database administrator run ` +
        `CREATE ROLE ${APP_ROLE} NOLOGIN NOBYPASSRLS; GRANT ${APP_ROLE} TO <this user>; (README: the owner and the app role).`,
    );
  }
  if (role.rolsuper || role.rolbypassrls) throw new Error(`The role ${APP_ROLE} must be neither a superuser nor BYPASSRLS.`);
  await knex.transaction(async (trx) => {
    await trx.raw("select pg_advisory_xact_lock(hashtext('klustera.row-security'))");
    // A superuser may always SET ROLE; an owner with CREATEROLE must be a member of the role it created to use it.
    await trx.raw(`
      do $$ begin
        if not pg_has_role(current_user, '${APP_ROLE}', 'member') then
          execute format('grant ${APP_ROLE} to %I', current_user);
        end if;
      exception when insufficient_privilege then null;
      end $$`);
    const schema = (await trx.raw('select current_schema() as name')).rows[0].name as string;
    const tables = (
      await trx.raw(
        `select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
                exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'estate_id' and not a.attisdropped) as estate_owned,
                exists (select 1 from pg_policies p where p.schemaname = n.nspname and p.tablename = c.relname and p.policyname = ?) as has_policy,
                has_table_privilege(?, c.oid, 'select, insert, update, delete') as granted
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = ? and c.relkind in ('r', 'p') and c.relname not like 'knex\\_migrations%'`,
        [POLICY, APP_ROLE, schema],
      )
    ).rows as { name: string; enabled: boolean; forced: boolean; estate_owned: boolean; has_policy: boolean; granted: boolean }[];
    // Only what is missing: ALTER TABLE locks the table, and other processes may be serving from it right now.
    if (tables.some((t) => !t.granted)) {
      await trx.raw(`grant usage on schema ?? to ${APP_ROLE}`, [schema]);
      for (const table of tables.filter((t) => !t.granted)) {
        await trx.raw(`grant select, insert, update, delete on ?? to ${APP_ROLE}`, [table.name]);
      }
      await trx.raw(`grant usage, select on all sequences in schema ?? to ${APP_ROLE}`, [schema]);
      // Tables made outside a migration (tests' own `test_…` tables) are the app's to use as well; one with an
      // estate_id still gets its policy only from the next migration run.
      await trx.raw(`alter default privileges in schema ?? grant select, insert, update, delete on tables to ${APP_ROLE}`, [schema]);
      await trx.raw(`alter default privileges in schema ?? grant usage, select on sequences to ${APP_ROLE}`, [schema]);
    }
    for (const table of tables.filter((t) => t.estate_owned)) {
      if (!table.enabled) await trx.raw('alter table ?? enable row level security', [table.name]);
      // FORCE: the owner too, so a server started with the owner's URL by mistake still sees one estate at a time.
      if (!table.forced) await trx.raw('alter table ?? force row level security', [table.name]);
      if (!table.has_policy) {
        await trx.raw(`create policy ${POLICY} on ?? using (${POLICY_CHECK}) with check (${POLICY_CHECK})`, [table.name]);
      }
    }
  });
}

/**
 * Names the scope in `trx` (PostgreSQL; nothing on SQLite). Transaction-local: it ends with the transaction, so a
 * pooled connection never carries one request's estate into the next.
 */
export async function enterScope(trx: Knex.Transaction, scope: RowScope): Promise<void> {
  if (!namesScopes(trx)) return;
  const entered = scopesOf(trx);
  if (scope === PLATFORM) {
    if (entered.platform) return;
    await trx.raw(PLATFORM_SQL).options({ name: preparedStatementName(PLATFORM_SQL) });
    entered.platform = true;
  } else {
    if (entered.estate === scope) return;
    // Every scoped transaction starts with it: a named prepared statement, parsed once per connection.
    await trx.raw(ESTATE_SQL, [scope]).options({ name: preparedStatementName(ESTATE_SQL) });
    entered.estate = scope;
  }
}

const PLATFORM_SQL = "select set_config('klustera.scope', 'platform', true)";
const ESTATE_SQL = "select set_config('klustera.estate_id', ?, true)";

/**
 * Only the app role's connections need a scope named: the owner's name the platform scope for their whole session
 * (knex.ts), and SQLite has no row security, so neither pays for a transaction around a read.
 */
function namesScopes(knex: Knex | Knex.Transaction): boolean {
  return (knex.userParams as Partial<DatabaseParams> | undefined)?.klusteraRowScope === true;
}

/** Whether each query through `knex` pays a transaction of its own to name its scope (see `scopedKnex`). */
export function readsOpenTransactions(knex: Knex | Knex.Transaction): boolean {
  return namesScopes(knex) && !knex.isTransaction;
}

const entered = new WeakMap<object, { estate?: string; platform?: boolean }>();
function scopesOf(trx: Knex.Transaction): { estate?: string; platform?: boolean } {
  let scopes = entered.get(trx);
  if (!scopes) {
    scopes = {};
    entered.set(trx, scopes);
  }
  return scopes;
}

/**
 * `knex` without the scope a `scopedKnex` proxy names, for a statement that names its own: a function declared with
 * `set klustera.scope = …` (the sign-in lookup, migrations/20261205000500_session_lookup.ts). Anything else run
 * through it as the app role sees no estate's rows.
 */
export function unscopedKnex<K extends Knex | Knex.Transaction>(knex: K): K {
  return (targets.get(knex) ?? knex) as K;
}

/** Runs `body` in a transaction of `knex` (or in `knex`, when it is one) with `scope` named. */
export async function inScope<T>(knex: Knex | Knex.Transaction, scope: RowScope, body: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  if (knex.isTransaction) {
    await enterScope(knex as Knex.Transaction, scope);
    return body(knex as Knex.Transaction);
  }
  return (knex as Knex).transaction(async (trx) => {
    await enterScope(trx, scope);
    return body(trx);
  });
}

type Thenable = { then: (...args: unknown[]) => unknown; toSQL?: unknown; transacting?: unknown; clone?: unknown };

const proxies = new WeakMap<object, Map<RowScope, Knex>>();
/** The knex (or transaction) behind each proxy, so a proxy handed to another scope is not wrapped twice. */
const targets = new WeakMap<object, Knex | Knex.Transaction>();

/**
 * `knex` as seen from one scope: every query built from it, awaited, runs with the scope named — in a transaction of
 * its own when `knex` is not one (a read outside a transaction is one statement; on PostgreSQL it costs a BEGIN, the
 * set_config and a COMMIT more). On SQLite `knex` itself.
 */
export function scopedKnex<K extends Knex | Knex.Transaction>(given: K, scope: RowScope): K {
  if (!namesScopes(given)) return given;
  const knex = (targets.get(given) ?? given) as K;
  let byScope = proxies.get(knex);
  if (!byScope) {
    byScope = new Map();
    proxies.set(knex, byScope);
  }
  let proxy = byScope.get(scope);
  if (!proxy) {
    proxy = makeProxy(knex, scope);
    byScope.set(scope, proxy);
    targets.set(proxy, knex);
  }
  return proxy as K;
}

function makeProxy(knex: Knex | Knex.Transaction, scope: RowScope): Knex {
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object' || typeof (value as Thenable).then !== 'function') return value;
    if (typeof (value as Thenable).toSQL !== 'function') return value;
    return scopedQuery(value as Thenable, knex, scope);
  };
  return new Proxy(knex as Knex, {
    apply(target, _this, args: unknown[]) {
      return wrap((target as unknown as (...a: unknown[]) => unknown)(...args));
    },
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return <T>(body: (trx: Knex.Transaction) => Promise<T>, config?: Knex.TransactionConfig) =>
          target.transaction(async (trx) => {
            await enterScope(trx, scope);
            return body(scopedKnex(trx, scope));
          }, config);
      }
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'constructor') return value;
      return (...args: unknown[]) => wrap((value as (...a: unknown[]) => unknown).apply(target, args));
    },
  }) as Knex;
}

/** A builder or raw query whose execution names `scope` first. */
function scopedQuery(query: Thenable, knex: Knex | Knex.Transaction, scope: RowScope): Thenable {
  const run = Object.getPrototypeOf(query).then as Thenable['then'];
  const cloneOf = (query as { clone?: () => Thenable }).clone;
  Object.defineProperty(query, 'then', {
    configurable: true,
    writable: true,
    value(onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) {
      const result = knex.isTransaction
        ? enterScope(knex as Knex.Transaction, scope).then(() => run.call(query))
        : (knex as Knex).transaction(async (trx) => {
            await enterScope(trx, scope);
            return run.call((query as unknown as Knex.QueryBuilder).transacting(trx));
          });
      return (result as Promise<unknown>).then(onFulfilled, onRejected);
    },
  });
  if (typeof cloneOf === 'function') {
    Object.defineProperty(query, 'clone', {
      configurable: true,
      writable: true,
      value: () => scopedQuery(cloneOf.call(query), knex, scope),
    });
  }
  return query;
}
