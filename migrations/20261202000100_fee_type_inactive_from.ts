import type { Knex } from 'knex';

/**
 * A fee type switched off from a month: `inactive_from` (YYYY-MM) is the first period it is no longer billed in.
 * Earlier periods, and invoices already issued, keep billing it; null = billed for as long as it has a rate.
 * A tombstone could not say this: it stops the fee for every period, including a late run for an earlier month.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('fee_types', (t) => {
    t.string('inactive_from', 7).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('fee_types', (t) => {
    t.dropColumn('inactive_from');
  });
}
