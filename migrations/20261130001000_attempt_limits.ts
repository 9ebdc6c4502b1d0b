import type { Knex } from 'knex';

/**
 * Guessing protection for short secrets typed at the gate (pass codes, guard PINs, pairing codes), kept in the
 * database so it holds across server processes and restarts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('attempt_limits', (t) => {
    // The limiter's name and what it limits: "gate-pin:<estate>:<device>".
    t.string('key', 200).primary();
    t.bigInteger('window_start_ms').notNullable();
    t.integer('window_count').notNullable();
    t.integer('failures').notNullable();
    t.bigInteger('locked_until_ms').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('attempt_limits');
}
