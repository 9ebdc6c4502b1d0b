import type { Knex } from 'knex';

/**
 * Request counters of the per-address rate limits (sign-in, invite lookups, password links), one row per limiter and
 * address and window, so that every server process on one database counts the same requests.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limit_hits', (t) => {
    t.string('key', 300).primary();
    t.integer('hits').notNullable();
    // Milliseconds since the epoch: compared with plain integers on both databases, without date parsing.
    t.bigInteger('reset_at').notNullable();
    t.index(['reset_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit_hits');
}
