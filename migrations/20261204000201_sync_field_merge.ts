import type { Knex } from 'knex';

/**
 * Per-field merge of reference rows (units, residents, settings, passes…) between sites.
 *
 * The outbox records which columns an update changed (`columns`, a JSON array; null for an insert, which sets them
 * all), so each column of a row has its own clock value: the newest outbox row naming it. Two sites that changed
 * different columns of one row both keep their change; the same column changed on both while apart goes to the later
 * clock value, and the losing value is kept in `sync_field_conflicts` for the office to see, dismiss or use instead.
 * That table is estate data, synced like other reference rows, so the office desktop sees a conflict the hosted
 * instance found; its id follows from the row, column and both clock values, so both sites finding it give one row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.text('columns').nullable();
  });
  await knex.schema.createTable('sync_field_conflicts', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('table_name', 64).notNullable();
    t.string('row_id', 36).notNullable();
    t.string('column_name', 64).notNullable();
    t.text('winning_value').nullable();
    t.text('losing_value').nullable();
    t.string('winning_hlc', 100).notNullable();
    t.string('losing_hlc', 100).notNullable();
    t.string('winning_site_id', 64).notNullable();
    t.string('losing_site_id', 64).notNullable();
    t.string('resolution', 16).nullable();
    t.string('resolved_at', 32).nullable();
    t.string('resolved_by', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.index(['estate_id', 'resolved_at', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sync_field_conflicts');
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('columns');
  });
}
