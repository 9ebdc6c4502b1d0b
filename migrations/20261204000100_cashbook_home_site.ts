import type { Knex } from 'knex';

/**
 * The cash book is one hash chain per estate, and a chain can have only one writer: the estate's home site. Null means
 * this installation is the home (an estate with no desktop, a desktop that is not linked, a hosted estate after its
 * desktop was unlinked); a site id names the site that is (the linked office desktop, on the hosted instance). Set at
 * pairing and unlinking, never synced: each site records what it is itself (server/sync/README.md).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('estates', (t) => {
    t.string('cashbook_home_site_id', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('estates', (t) => {
    t.dropColumn('cashbook_home_site_id');
  });
}
