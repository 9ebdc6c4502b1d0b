import type { Knex } from 'knex';

/**
 * membership_invitations: an estate asks a person who already has an account to join it with a role. Nothing reads
 * this table when deciding permissions, so a pending invitation grants nothing until its owner, signed in with their
 * own password, accepts it (which inserts the membership). name/email/phone are what the inviting estate typed, so
 * it never learns the account's own details.
 *
 * login_sources: failed-login counters per account and per source (an IP, a known browser, or '*' for every unknown
 * source together), updated with single conditional statements so they hold across processes (see auth/login-throttle.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('membership_invitations', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('user_id', 36).notNullable().references('users.id');
    t.string('role', 32).notNullable();
    t.string('resident_id', 36).nullable();
    t.string('name', 200).notNullable();
    t.string('email', 254).nullable();
    t.string('phone', 20).nullable();
    t.string('invited_by', 36).nullable();
    t.string('status', 16).notNullable().defaultTo('pending'); // pending | accepted | declined | expired
    t.string('expires_at', 32).notNullable();
    t.string('responded_at', 32).nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.index(['user_id', 'status']);
    t.index(['estate_id', 'status']);
  });
  await knex.raw(
    "CREATE UNIQUE INDEX membership_invitations_pending_unique ON membership_invitations (estate_id, user_id, role) WHERE status = 'pending'",
  );

  await knex.schema.createTable('login_sources', (t) => {
    t.string('id', 36).primary();
    t.string('user_id', 36).notNullable().references('users.id');
    t.string('source_key', 100).notNullable();
    t.integer('failures').notNullable().defaultTo(0);
    t.integer('lockouts').notNullable().defaultTo(0);
    t.string('locked_until', 32).nullable();
    t.string('last_attempt_at', 32).nullable();
    t.string('last_success_at', 32).nullable();
    t.string('created_at', 32).notNullable();
    t.unique(['user_id', 'source_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('login_sources');
  await knex.schema.dropTableIfExists('membership_invitations');
}
