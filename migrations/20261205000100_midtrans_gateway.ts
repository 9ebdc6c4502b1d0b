import type { Knex } from 'knex';

/**
 * Midtrans as a second gateway. Snap (the payment page a resident is sent to) and the Core API (status, expire,
 * refund) live at two addresses, so an estate's gateway row gains the Snap address beside `base_url` (the Core API's).
 * Empty means Midtrans's production addresses; a sandbox or a local fake is set here.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_gateways', (t) => {
    t.string('snap_base_url', 500).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_gateways', (t) => {
    t.dropColumn('snap_base_url');
  });
}
