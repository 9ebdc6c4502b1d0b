import type { Knex } from 'knex';

/**
 * Online payments through a payment gateway (Xendit first).
 *
 * `payment_gateways`: an estate's gateway account, one row per provider. The secret key and the callback token are
 * stored encrypted (AES-256-GCM, key outside the database) and are never answered by the API.
 *
 * `online_charges`: what a resident asked to pay online, written as an intent before the gateway is called. Its
 * `reference` is deterministic (estate, unit, invoices or amount, idempotency key), so a retried request finds the
 * same charge instead of creating a second one; `payment_id` is set once, when the money is recorded.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_gateways', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('provider', 32).notNullable();
    t.boolean('enabled').notNullable().defaultTo(false);
    t.string('base_url', 500).nullable();
    t.text('methods').notNullable();
    t.string('fee_bearer', 16).notNullable();
    t.text('secret_key_enc').nullable();
    t.text('callback_token_enc').nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'provider']);
  });

  await knex.schema.createTable('online_charges', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('resident_id', 36).nullable();
    t.string('provider', 32).notNullable();
    t.string('method', 32).notNullable();
    t.string('reference', 200).notNullable();
    t.text('invoice_ids').notNullable();
    t.bigInteger('amount').notNullable();
    // creating | pending | paid | expired | failed | amount_mismatch
    t.string('status', 24).notNullable();
    t.string('gateway_id', 200).nullable();
    t.text('qr_string').nullable();
    t.string('expires_at', 32).nullable();
    t.bigInteger('paid_amount').nullable();
    t.string('gateway_payment_id', 200).nullable();
    t.string('payment_id', 36).nullable().references('payments.id');
    t.string('paid_at', 32).nullable();
    t.text('last_error').nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'reference']);
    t.unique(['estate_id', 'payment_id']);
    t.index(['estate_id', 'unit_id', 'created_at']);
    t.index(['estate_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('online_charges');
  await knex.schema.dropTableIfExists('payment_gateways');
}
