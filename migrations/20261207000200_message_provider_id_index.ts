import type { Knex } from 'knex';

/**
 * A WhatsApp provider's status callback (delivered, read, failed) names the message only by the provider's id: the
 * estate's messages are looked up by it, so it is indexed within the estate.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.index(['estate_id', 'provider_message_id'], 'messages_estate_provider_message_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('messages', (t) => {
    t.dropIndex(['estate_id', 'provider_message_id'], 'messages_estate_provider_message_id_index');
  });
}
