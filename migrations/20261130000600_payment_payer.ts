import type { Knex } from 'knex';

/**
 * Who paid, as it was known when the payment was recorded: a receipt keeps naming the payer after they move out.
 * Both columns are nullable: rows recorded before this migration (and rows synced from older sites) have no payer,
 * and the receipt derives it from the occupancy at the payment date instead (server/payments/payer.ts). They are
 * not backfilled here: payments are append-only facts shared by sync, and rewriting them on every site would
 * either flood the outbox or let sites disagree.
 *
 * The indexes lead with estate_id and serve the resident portal's reads: a unit's payments newest first, and the
 * allocations and credit of a page of payments in one query each.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.string('payer_name', 200).nullable();
    t.string('payer_resident_id', 36).nullable();
  });
  await knex.schema.alterTable('payments', (t) => {
    t.index(['estate_id', 'unit_id', 'paid_at'], 'payments_estate_unit_paid_at');
  });
  await knex.schema.alterTable('payment_allocations', (t) => {
    t.index(['estate_id', 'payment_id'], 'payment_allocations_estate_payment');
  });
  await knex.schema.alterTable('credit_movements', (t) => {
    t.index(['estate_id', 'payment_id'], 'credit_movements_estate_payment');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('credit_movements', (t) => {
    t.dropIndex(['estate_id', 'payment_id'], 'credit_movements_estate_payment');
  });
  await knex.schema.alterTable('payment_allocations', (t) => {
    t.dropIndex(['estate_id', 'payment_id'], 'payment_allocations_estate_payment');
  });
  await knex.schema.alterTable('payments', (t) => {
    t.dropIndex(['estate_id', 'unit_id', 'paid_at'], 'payments_estate_unit_paid_at');
  });
  await knex.schema.alterTable('payments', (t) => {
    t.dropColumn('payer_resident_id');
    t.dropColumn('payer_name');
  });
}
