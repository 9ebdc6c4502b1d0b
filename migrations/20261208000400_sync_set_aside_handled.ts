import type { Knex } from 'knex';

/**
 * The office marks a set-aside account change as handled once it has put the account right by hand (the person signs
 * in with the account the hosted instance knows, or its owner changes it there). The row stays, for the audit trail:
 * who marked it and when; the Sinkronisasi page lists only the ones not handled yet.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_set_aside', (t) => {
    t.string('handled_at', 32).nullable();
    t.string('handled_by', 36).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sync_set_aside', (t) => {
    t.dropColumn('handled_by');
    t.dropColumn('handled_at');
  });
}
