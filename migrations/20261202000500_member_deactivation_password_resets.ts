import type { Knex } from 'knex';

/**
 * memberships.deactivated_at: an estate switches a member off without touching the account, which may belong to other
 * estates too. A deactivated membership grants nothing (auth/authenticate.ts reads only active ones) and can be
 * switched on again with its role and resident link intact.
 *
 * password_resets: one-time links the office creates for a member who forgot their password and shares by WhatsApp.
 * Only the SHA-256 of the token is stored; a link is used at most once (used_at, set by one conditional update) and
 * expires within the hour. A link is valid only on the server that issued it, so the table is audited, never synced.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('memberships', (t) => {
    t.string('deactivated_at', 32).nullable();
  });

  await knex.schema.createTable('password_resets', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('user_id', 36).notNullable().references('users.id');
    t.string('token_hash', 64).notNullable().unique();
    t.string('created_by', 36).nullable();
    t.string('expires_at', 32).notNullable();
    t.string('used_at', 32).nullable();
    t.string('revoked_at', 32).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('password_resets');
  await knex.schema.alterTable('memberships', (t) => {
    t.dropColumn('deactivated_at');
  });
}
