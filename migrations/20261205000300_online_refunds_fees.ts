import type { Knex } from 'knex';

/**
 * Refunds from the office and the gateway fee of online charges.
 *
 * `online_charges` gains:
 * - `fee_bearer` and `fee_amount`: who bore the gateway's fee when the charge was made, and that fee as the estate's
 *   rule computed it. A resident-borne fee is part of `amount` (what the gateway asks); the ledger records the rest.
 * - the charge's one refund: its deterministic `refund_reference` (the gateway's idempotency key, so a double submit
 *   refunds once), amount, reason, status (requesting | refunded | failed), the gateway's refund id, who asked and
 *   when, and the payment that holds what was kept when the refund was partial.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('online_charges', (t) => {
    t.string('fee_bearer', 16).nullable();
    t.bigInteger('fee_amount').nullable();
    t.string('refund_reference', 200).nullable();
    t.bigInteger('refund_amount').nullable();
    t.text('refund_reason').nullable();
    t.string('refund_status', 16).nullable();
    t.string('refund_gateway_id', 200).nullable();
    t.text('refund_error').nullable();
    t.string('refund_requested_by', 36).nullable();
    t.string('refunded_at', 32).nullable();
    t.string('refund_kept_payment_id', 36).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('online_charges', (t) => {
    for (const c of [
      'fee_bearer',
      'fee_amount',
      'refund_reference',
      'refund_amount',
      'refund_reason',
      'refund_status',
      'refund_gateway_id',
      'refund_error',
      'refund_requested_by',
      'refunded_at',
      'refund_kept_payment_id',
    ])
      t.dropColumn(c);
  });
}
