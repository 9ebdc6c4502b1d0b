import type { Knex } from 'knex';

/**
 * Xendit fixed virtual accounts per unit, and e-wallet charges.
 *
 * `unit_virtual_accounts`: the unit's own account number at one bank, kept for good. Its id and its `reference`
 * follow from (estate, unit, provider, bank), so the office desktop and the hosted instance that each make it name
 * the same row and find the same account at the gateway; synced like other estate data.
 *
 * `virtual_account_transfers`: each transfer into such an account, recorded once per gateway payment id, with the
 * ledger payment it became.
 *
 * `online_charges` gains the channel (e-wallet) and the checkout address the resident opens; `payment_gateways` the
 * banks and e-wallets the estate offers.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('unit_virtual_accounts', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('provider', 32).notNullable();
    t.string('bank', 16).notNullable();
    t.string('reference', 200).notNullable();
    // creating | active
    t.string('status', 16).notNullable();
    t.string('gateway_id', 200).nullable();
    t.string('account_number', 64).nullable();
    t.string('account_name', 200).nullable();
    t.string('claimed_at', 32).nullable();
    t.text('last_error').nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'unit_id', 'provider', 'bank']);
    t.unique(['estate_id', 'reference']);
  });

  await knex.schema.createTable('virtual_account_transfers', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('virtual_account_id', 36).notNullable().references('unit_virtual_accounts.id');
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('gateway_payment_id', 200).notNullable();
    t.bigInteger('amount').notNullable();
    t.string('paid_at', 32).notNullable();
    t.string('payment_id', 36).notNullable().references('payments.id');
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'gateway_payment_id']);
    t.unique(['estate_id', 'payment_id']);
    t.index(['estate_id', 'virtual_account_id']);
  });

  await knex.schema.alterTable('online_charges', (t) => {
    t.string('channel', 32).nullable();
    t.text('checkout_url').nullable();
  });

  await knex.schema.alterTable('payment_gateways', (t) => {
    t.text('va_banks').nullable();
    t.text('ewallet_channels').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_gateways', (t) => {
    t.dropColumn('ewallet_channels');
    t.dropColumn('va_banks');
  });
  await knex.schema.alterTable('online_charges', (t) => {
    t.dropColumn('checkout_url');
    t.dropColumn('channel');
  });
  await knex.schema.dropTableIfExists('virtual_account_transfers');
  await knex.schema.dropTableIfExists('unit_virtual_accounts');
}
