import type { Knex } from 'knex';

/**
 * The short code each site of an estate puts in the human numbers it mints (INV-B/2026/11/0042), so a desktop and
 * the hosted instance working offline at once never mint the same number. A site without a row uses the empty code:
 * the numbers an estate's first site has always minted (INV/2026/11/0042) stay as they are.
 *
 * A code belongs to one site of its estate for good: when a site changes code its old row is tombstoned, not
 * deleted, so the code is never handed to another site (numbers minted under it may be printed on receipts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('site_codes', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('site_id', 64).notNullable();
    t.string('code', 8).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'code'], { indexName: 'site_codes_estate_code' });
  });
  await knex.raw(
    'CREATE UNIQUE INDEX site_codes_one_live_per_site ON site_codes (estate_id, site_id) WHERE deleted_at IS NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('site_codes');
}
