import type { Knex } from 'knex';

/**
 * The outbox had two indexes on `hlc`: the first migration's and `outbox_clock_index`'s `outbox_hlc`. Every journaled
 * write (three outbox rows per gate scan, more per payment) kept both up to date and wrote both to the log at each
 * commit, for no read that one of them does not answer. `outbox_hlc` stays (server/sync/README.md names it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['hlc'], 'outbox_hlc_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.index(['hlc'], 'outbox_hlc_index');
  });
}
