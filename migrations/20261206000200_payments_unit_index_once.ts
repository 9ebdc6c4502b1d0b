import type { Knex } from 'knex';

/**
 * Payments had two indexes leading with (estate_id, unit_id): the first migration's `payments_estate_id_unit_id_index`
 * and `payments_estate_unit_paid_at` (estate_id, unit_id, paid_at), which answers every read the shorter one did (a
 * unit's payments, newest first or not). Recording a payment kept both up to date and wrote both to the log at each
 * commit; the longer one stays.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.dropIndex(['estate_id', 'unit_id'], 'payments_estate_id_unit_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.index(['estate_id', 'unit_id'], 'payments_estate_id_unit_id_index');
  });
}
