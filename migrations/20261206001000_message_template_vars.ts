import type { Knex } from 'knex';

/**
 * The variables a WhatsApp gateway message was rendered from (JSON), kept beside its text: the WhatsApp Cloud API sends
 * an approved template whose body parameters are these values, not Klustera's rendered text.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.text('template_vars').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.dropColumn('template_vars');
  });
}
