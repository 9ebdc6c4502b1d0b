import type { Knex } from 'knex';

/**
 * Uploaded files may keep their bytes in an S3-compatible bucket (server/files/README.md): each file's row says
 * where its bytes are (`stored_in`: database | bucket; the byte column is then empty) and keeps their SHA-256, so a
 * missing or altered object is recognised. Rows written before stay in the database.
 */
const FILE_TABLES = ['payment_proofs', 'cashbook_attachments', 'announcement_attachments'];

export async function up(knex: Knex): Promise<void> {
  for (const table of FILE_TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.string('stored_in', 16).notNullable().defaultTo('database');
    });
  }
  // cashbook_attachments has had its sha256 from the start.
  for (const table of ['payment_proofs', 'announcement_attachments']) {
    await knex.schema.alterTable(table, (t) => {
      t.string('sha256', 64).nullable();
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['payment_proofs', 'announcement_attachments']) {
    await knex.schema.alterTable(table, (t) => t.dropColumn('sha256'));
  }
  for (const table of FILE_TABLES) {
    await knex.schema.alterTable(table, (t) => t.dropColumn('stored_in'));
  }
}
