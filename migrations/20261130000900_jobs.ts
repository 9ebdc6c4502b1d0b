import type { Knex } from 'knex';

/**
 * Work that outlives a request: durable jobs (printing, billing runs, schedules, webhook processing), the lease
 * that makes one server process the scheduler, and the raw inbox of payment-gateway webhooks.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('jobs', (t) => {
    t.string('id', 36).primary();
    // Null for work that belongs to no single estate (a schedule's plan, clean-up).
    t.string('estate_id', 36).nullable().references('estates.id');
    t.string('name', 64).notNullable();
    t.text('payload').notNullable();
    // Two enqueues with the same (name, dedupe_key) are one job; null: never deduplicated.
    t.string('dedupe_key', 200).nullable();
    t.string('status', 16).notNullable(); // pending | running | done | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable();
    t.string('run_at', 32).notNullable();
    t.string('locked_by', 64).nullable();
    t.string('locked_until', 32).nullable();
    t.text('last_error').nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('finished_at', 32).nullable();
    t.unique(['name', 'dedupe_key']);
    t.index(['status', 'run_at']);
    t.index(['estate_id', 'status', 'run_at']);
  });

  await knex.schema.createTable('job_leases', (t) => {
    t.string('name', 64).primary();
    t.string('holder', 64).notNullable();
    t.string('expires_at', 32).notNullable();
  });

  // Stored exactly as received, before anything is believed: a job re-reads the object from the provider.
  await knex.schema.createTable('webhook_events', (t) => {
    t.string('id', 36).primary();
    t.string('provider', 32).notNullable();
    t.string('event_id', 200).notNullable();
    t.string('estate_id', 36).nullable().references('estates.id');
    t.text('headers').notNullable();
    t.text('body').notNullable();
    t.string('received_at', 32).notNullable();
    t.string('processed_at', 32).nullable();
    t.string('status', 16).notNullable(); // received | processed | failed
    t.text('error').nullable();
    t.unique(['provider', 'event_id']);
    t.index(['estate_id', 'received_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_events');
  await knex.schema.dropTableIfExists('job_leases');
  await knex.schema.dropTableIfExists('jobs');
}
