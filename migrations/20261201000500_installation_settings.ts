import type { Knex } from 'knex';

/**
 * Settings of this installation rather than of an estate, one row per key with JSON in `value`. First use: the
 * address residents' phones open (links and QR codes). It describes this server, so it is audited but never synced:
 * another site of the same estate is reached at another address.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('installation_settings', (t) => {
    t.string('id', 36).primary();
    t.string('key', 64).notNullable().unique({ indexName: 'installation_settings_key' });
    t.text('value').notNullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('installation_settings');
}
