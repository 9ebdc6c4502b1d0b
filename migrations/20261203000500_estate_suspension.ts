import type { Knex } from 'knex';

/**
 * A hosted estate can be suspended by the platform's administrators: its data stays, its members and devices are
 * refused until it is reactivated. Null means active.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('estates', (t) => {
    t.string('suspended_at', 32).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('estates', (t) => {
    t.dropColumn('suspended_at');
  });
}
