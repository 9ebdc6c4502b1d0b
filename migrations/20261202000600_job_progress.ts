import type { Knex } from 'knex';

/**
 * How far a long job has got (rows of a spreadsheet import written so far, out of how many) and what it produced,
 * so the office can watch work that takes longer than a request and read its outcome afterwards.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('jobs', (t) => {
    t.integer('progress_done').nullable();
    t.integer('progress_total').nullable();
    t.text('result').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('jobs', (t) => {
    t.dropColumn('result');
    t.dropColumn('progress_total');
    t.dropColumn('progress_done');
  });
}
