import type { Knex } from 'knex';

/**
 * A starting server sets its hybrid logical clock past the newest clock value its outbox holds (db/sync-context.ts):
 * this index answers that max without reading the whole outbox, which on the hosted instance holds every estate's.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.index(['hlc'], 'outbox_hlc');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['hlc'], 'outbox_hlc');
  });
}
