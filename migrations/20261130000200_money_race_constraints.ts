import type { Knex } from 'knex';

/**
 * Invariants of the money records that the database holds itself, behind the row locks the services take, so that
 * two simultaneous requests can never both land:
 *
 * - one payment per transfer proof (a submission is verified into at most one payment);
 * - one state change per step of a cash-book month: each close or reopen records which change of that month it is
 *   (1, 2, 3, …), unique per estate and month, so two closes (or reopens) made from the same state cannot both be
 *   written. Events from before this column stay null and are not constrained.
 *
 * Sums (allocated ≤ billed per invoice, credit ≥ 0 per unit) span many append-only rows and cannot be a constraint;
 * the services check them under the unit's row lock.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE UNIQUE INDEX payments_one_per_submission ON payments (estate_id, submission_id) WHERE submission_id IS NOT NULL',
  );
  await knex.schema.alterTable('cashbook_period_events', (t) => {
    t.integer('change_no').nullable();
  });
  await knex.raw('CREATE UNIQUE INDEX cashbook_period_events_one_change ON cashbook_period_events (estate_id, period, change_no)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS cashbook_period_events_one_change');
  await knex.schema.alterTable('cashbook_period_events', (t) => {
    t.dropColumn('change_no');
  });
  await knex.raw('DROP INDEX IF EXISTS payments_one_per_submission');
}
