import type { Knex } from 'knex';

/**
 * Reaching residents in the portal: notifications (the bell: one row per unit, or per resident when it is theirs
 * alone) and announcements written by the office, with their files, the units each one reached when it was
 * published, and who read it.
 *
 * Who an announcement targets is kept as the office chose it (JSON lists of blocks and unit ids, owners only); the
 * units it reached are resolved once, when it is published, into `announcement_recipients`, so a unit's later
 * occupants see what was published for the unit and the delivery report does not change under the office's feet.
 */
function id(t: Knex.CreateTableBuilder) {
  t.string('id', 36).primary();
}
function timestamps(t: Knex.CreateTableBuilder, tombstone = true) {
  t.string('created_at', 32).notNullable();
  t.string('updated_at', 32).notNullable();
  if (tombstone) t.string('deleted_at', 32).nullable();
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notifications', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('resident_id', 36).nullable().references('residents.id');
    t.string('kind', 32).notNullable();
    t.string('title', 200).notNullable();
    t.text('body').nullable();
    t.string('link', 300).nullable();
    t.string('source_table', 40).nullable();
    t.string('source_id', 36).nullable();
    t.string('read_at', 32).nullable();
    timestamps(t);
    t.index(['estate_id', 'unit_id', 'created_at']);
    t.index(['estate_id', 'source_table', 'source_id']);
  });

  await knex.schema.createTable('announcements', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('title', 200).notNullable();
    t.text('body_html').notNullable();
    t.text('target_blocks').nullable();
    t.text('target_unit_ids').nullable();
    t.boolean('owners_only').notNullable().defaultTo(false);
    t.boolean('pinned').notNullable().defaultTo(false);
    t.text('channels').notNullable();
    t.string('status', 16).notNullable();
    t.string('publish_at', 32).nullable();
    t.string('published_at', 32).nullable();
    t.string('created_by', 36).nullable();
    timestamps(t);
    t.index(['estate_id', 'status', 'published_at']);
  });

  await knex.schema.createTable('announcement_attachments', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('announcement_id', 36).notNullable().references('announcements.id');
    t.string('filename', 200).notNullable();
    t.string('mime', 64).notNullable();
    t.integer('size').notNullable();
    t.binary('data').notNullable();
    timestamps(t);
    t.index(['estate_id', 'announcement_id']);
  });

  await knex.schema.createTable('announcement_recipients', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('announcement_id', 36).notNullable().references('announcements.id');
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('read_at', 32).nullable();
    timestamps(t, false);
    t.unique(['estate_id', 'announcement_id', 'unit_id']);
    t.index(['estate_id', 'unit_id']);
  });

  await knex.schema.createTable('announcement_reads', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('announcement_id', 36).notNullable().references('announcements.id');
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('resident_id', 36).notNullable().references('residents.id');
    t.string('read_at', 32).notNullable();
    timestamps(t, false);
    t.unique(['estate_id', 'announcement_id', 'resident_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['announcement_reads', 'announcement_recipients', 'announcement_attachments', 'announcements', 'notifications']) {
    await knex.schema.dropTableIfExists(table);
  }
}
