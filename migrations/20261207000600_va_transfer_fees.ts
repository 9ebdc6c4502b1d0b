import type { Knex } from 'knex';

/**
 * Xendit takes a flat fee per transfer into a fixed virtual account, and the fee differs per bank (a bank on the
 * switcher model has its own agreed fee). An estate's gateway row gains the fee per bank as JSON (`{"BCA": 5000}`);
 * a bank without an entry uses the standard rule in `server/ledger/online/gateway-fee.ts`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_gateways', (t) => {
    t.text('va_fees').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_gateways', (t) => {
    t.dropColumn('va_fees');
  });
}
