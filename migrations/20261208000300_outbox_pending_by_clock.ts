import type { Knex } from 'knex';

/**
 * A desktop pushes its waiting outbox entries oldest clock value first, 500 at a time: `estate_id = ? and synced_at is
 * null order by hlc`. The (estate_id, synced_at) index found the waiting entries but each page then sorted all of
 * them, so a first upload of 130,000 changes sorted the rest of its outbox 260 times. With the clock value in the
 * index the page is a range scan. It replaces the shorter index (every query that used it can use this one), so a
 * write of the outbox updates no more indexes than before.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.index(['estate_id', 'synced_at', 'hlc'], 'outbox_estate_synced_hlc');
  });
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['estate_id', 'synced_at'], 'outbox_estate_synced');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.index(['estate_id', 'synced_at'], 'outbox_estate_synced');
  });
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['estate_id', 'synced_at', 'hlc'], 'outbox_estate_synced_hlc');
  });
}
