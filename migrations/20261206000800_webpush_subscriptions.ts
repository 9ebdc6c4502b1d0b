import type { Knex } from 'knex';

/**
 * Web Push for the resident portal (server/webpush/README.md): one row per resident and device that switched push
 * on. The endpoint is the push service's address for that browser; `p256dh` and `auth` are the browser's keys the
 * payload is encrypted to. A subscription is bound to this installation's VAPID key, so it is audited but not synced.
 * `endpoint_hash` (sha256 of the endpoint) keeps one row per device and estate without an index on a long text.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webpush_subscriptions', (t) => {
    t.string('id', 36).primary();
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('resident_id', 36).notNullable().references('residents.id');
    t.string('user_id', 36).nullable();
    t.text('endpoint').notNullable();
    t.string('endpoint_hash', 64).notNullable();
    t.string('p256dh', 100).notNullable();
    t.string('auth', 40).notNullable();
    t.string('device', 120).nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'endpoint_hash']);
    t.index(['estate_id', 'resident_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webpush_subscriptions');
}
