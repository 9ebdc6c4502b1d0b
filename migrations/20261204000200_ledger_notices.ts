import type { Knex } from 'knex';

/**
 * Reconciliation notices of the ledger: something about the money the treasurer must look at although nothing is
 * wrong in the books (a payment that went to credit because its invoice was already paid some other way).
 *
 * A notice's id is derived from its estate and dedupe key, so raising it twice, or on two sites that meet later
 * through sync, gives one row. It is a reference row (acknowledged later, tombstoned rather than deleted), so it
 * carries `updated_at` and `deleted_at`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ledger_notices', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('kind', 32).notNullable();
    t.string('unit_id', 36).notNullable();
    t.string('invoice_id', 36).nullable();
    t.string('payment_id', 36).nullable();
    t.bigInteger('amount').nullable();
    t.string('dedupe_key', 200).notNullable();
    t.text('details').nullable();
    t.string('acknowledged_at', 32).nullable();
    t.string('acknowledged_by', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'dedupe_key']);
    t.index(['estate_id', 'acknowledged_at', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ledger_notices');
}
