import type { Knex } from 'knex';

/**
 * Where a backup went beyond this machine (server/backups/s3-upload.ts): its upload to an S3-compatible bucket, as one
 * JSON value per backup (bucket, object key, size, attempts, last error, when the retention policy removed it). Like
 * the rest of `backups`, it describes this server's work and is neither journaled nor synced.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('backups', (t) => {
    t.text('remote').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('backups', (t) => {
    t.dropColumn('remote');
  });
}
