import type { Knex } from 'knex';

/**
 * A linked desktop's own record of the accounts whose row last arrived from the hosted instance without a password
 * hash: there they also work in another estate, so their e-mail, phone and password are no longer this office's to
 * change (server/sync/README.md, "Accounts and memberships"). And the desktop's changes of such an account that the
 * hosted instance refused, set aside so the rest of the estate's changes go on, kept for the office to see. Both are
 * site-local: never synced, never journaled.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sync_shared_accounts', (t) => {
    t.string('estate_id', 36).notNullable();
    t.string('user_id', 36).notNullable();
    t.string('marked_at', 32).notNullable();
    t.primary(['estate_id', 'user_id']);
    t.index(['user_id']);
  });
  await knex.schema.createTable('sync_set_aside', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable();
    t.string('outbox_id', 36).notNullable().unique();
    t.string('table_name', 64).notNullable();
    t.string('row_id', 64).notNullable();
    t.string('code', 64).notNullable();
    t.string('created_at', 32).notNullable();
    t.index(['estate_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sync_set_aside');
  await knex.schema.dropTableIfExists('sync_shared_accounts');
}
