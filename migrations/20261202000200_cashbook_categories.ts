import type { Knex } from 'knex';

/**
 * Cash-book categories an estate adds by name next to the built-in ones (server/cashbook/categories.ts). Entries keep
 * the category's code, so a renamed or removed category never rewrites the hash-chained entries that used it.
 * A reference row: updated_at and a tombstone, merged per field by sync.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cashbook_categories', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('code', 40).notNullable();
    t.string('name', 80).notNullable();
    t.string('direction', 3).notNullable(); // in | out
    t.string('created_by', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'code'], { indexName: 'cashbook_categories_estate_code' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('cashbook_categories');
}
