import type { Knex } from 'knex';

/**
 * Per-table digests of sync: after a cycle that leaves nothing waiting, the desktop compares a digest of each synced
 * table of the estate (row count and a hash over ids and content) with the hosted instance's and keeps the names of
 * the tables that differ, and when it last compared, on its link. The link is site-local and never synced.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_links', (t) => {
    t.string('digest_checked_at', 32).nullable();
    t.text('digest_diverged').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_links', (t) => {
    t.dropColumn('digest_diverged');
    t.dropColumn('digest_checked_at');
  });
}
