import type { Knex } from 'knex';

/**
 * Messages to residents (server/messages/README.md).
 *
 * `messages`: the outbox of everything said to a resident, one row per resident and channel. The unique
 * (estate, cause kind, cause id, resident, channel) is what keeps one cause (an invoice's H-3 reminder, a payment's
 * receipt) from being sent twice, even when two writes race.
 *
 * `message_templates`: an estate's own wording of a template; the defaults live in code.
 *
 * `message_channels`: an estate's channel accounts (SMTP, a WhatsApp gateway), secrets sealed as payment gateways'
 * are; never synced (sealed with this site's key).
 *
 * `message_preferences`: a resident's chosen channels and opt-out.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('messages', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('unit_id', 36).nullable().references('units.id');
    t.string('resident_id', 36).notNullable().references('residents.id');
    // wa_link | wa_gateway | email | portal
    t.string('channel', 16).notNullable();
    t.string('recipient', 254).nullable();
    t.string('template_key', 48).notNullable();
    t.string('subject', 300).nullable();
    t.text('body_text').notNullable();
    t.text('body_html').nullable();
    // queued | sending | sent | delivered | read | failed | cancelled
    t.string('status', 16).notNullable();
    t.text('failure_reason').nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 32).nullable();
    t.string('cause_kind', 48).notNullable();
    t.string('cause_id', 64).notNullable();
    t.string('provider_message_id', 200).nullable();
    t.string('sent_at', 32).nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'cause_kind', 'cause_id', 'resident_id', 'channel']);
    t.index(['estate_id', 'status', 'created_at']);
    t.index(['estate_id', 'channel', 'sent_at']);
    t.index(['estate_id', 'unit_id', 'created_at']);
  });

  await knex.schema.createTable('message_templates', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('key', 48).notNullable();
    t.string('subject', 300).nullable();
    t.text('body').notNullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'key']);
  });

  await knex.schema.createTable('message_channels', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    // email | wa_gateway
    t.string('channel', 16).notNullable();
    // smtp | fonnte | waha
    t.string('provider', 16).notNullable();
    t.boolean('enabled').notNullable().defaultTo(false);
    // Non-secret settings as JSON (host, port, sender, session, rates, quiet hours).
    t.text('settings').notNullable();
    t.text('secret_enc').nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'channel']);
  });

  await knex.schema.createTable('message_preferences', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('resident_id', 36).notNullable().references('residents.id');
    // JSON array of channels; null: the estate's default
    t.text('channels').nullable();
    t.boolean('opted_out').notNullable().defaultTo(false);
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'resident_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('message_preferences');
  await knex.schema.dropTableIfExists('message_channels');
  await knex.schema.dropTableIfExists('message_templates');
  await knex.schema.dropTableIfExists('messages');
}
