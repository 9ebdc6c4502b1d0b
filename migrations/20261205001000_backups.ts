import type { Knex } from 'knex';

/**
 * The installation's backups (server/backups/): one row per backup made by the schedule or by hand, with what its
 * checks found and where its copies went. It describes this server's work, like `jobs`, and is neither journaled
 * nor synced; the backup files themselves live in the data folder's `backups/` and in the copies' folders.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('backups', (t) => {
    t.string('id', 36).primary();
    t.string('trigger', 16).notNullable(); // schedule | manual
    t.string('status', 16).notNullable(); // running | ok | failed
    t.string('started_at', 32).notNullable();
    t.string('finished_at', 32).nullable();
    t.string('file_name', 200).nullable();
    t.bigInteger('bytes').nullable();
    t.text('checks').nullable();
    t.text('copies').nullable();
    t.text('error').nullable();
    t.string('pruned_at', 32).nullable();
    t.index(['started_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('backups');
}
