import type { Knex } from 'knex';

/**
 * The sign-in lookup every request makes, as one statement on PostgreSQL. Sessions span estates (a user's memberships
 * in every estate), so the lookup reads in the platform scope of row-level security (server/db/row-security.ts), and
 * naming that scope cost the request a transaction of its own: BEGIN, set_config, the lookup, COMMIT. A function
 * declared with `set klustera.scope = 'platform'` names the scope for its own statement only, so the same rows come
 * back in one round trip. It runs as its caller, not as a security definer: row security applies inside it as it did
 * around the lookup. SQLite has no row security and keeps the plain statement.
 *
 * The body is server/auth/authenticate.ts's session lookup; a change to that lookup replaces this function in a new
 * migration.
 */
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw(`
    create or replace function klustera_session_lookup(p_token_hash text, p_now text)
    returns table (id text, user_id text, csrf_token text, is_platform_admin boolean, estate_id text, role text, resident_id text)
    language sql stable
    set klustera.scope = 'platform'
    as $$
      select s.id::text, s.user_id::text, s.csrf_token::text, u.is_platform_admin, m.estate_id::text, m.role::text,
        m.resident_id::text
      from sessions s join users u on u.id = s.user_id
      left join memberships m on m.user_id = u.id and m.deleted_at is null and m.deactivated_at is null
        and exists (select 1 from estates e where e.id = m.estate_id and e.deleted_at is null)
      where s.token_hash = p_token_hash and s.revoked_at is null and s.expires_at > p_now and u.deleted_at is null
        and u.status = 'active'
    $$`);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw('drop function if exists klustera_session_lookup(text, text)');
}
