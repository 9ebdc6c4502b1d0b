import type { Knex } from 'knex';

/**
 * Estates, accounts, units and residents, plus the audit log, the sync outbox and idempotency keys that every
 * later money table relies on. Ids are UUIDv7 strings; times are UTC ISO-8601 strings.
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
  await knex.schema.createTable('estates', (t) => {
    id(t);
    t.string('name', 200).notNullable();
    t.string('address', 500).nullable();
    t.string('timezone', 64).notNullable().defaultTo('Asia/Jakarta');
    t.string('rt', 10).nullable();
    t.string('rw', 10).nullable();
    t.text('settings').notNullable().defaultTo('{}');
    timestamps(t);
  });

  await knex.schema.createTable('users', (t) => {
    id(t);
    t.string('name', 200).notNullable();
    t.string('email', 254).nullable();
    t.string('phone', 20).nullable();
    t.string('password_hash', 200).nullable();
    t.boolean('is_platform_admin').notNullable().defaultTo(false);
    t.string('status', 16).notNullable().defaultTo('active');
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.string('locked_until', 32).nullable();
    t.string('last_login_at', 32).nullable();
    timestamps(t);
  });
  await knex.raw('CREATE UNIQUE INDEX users_email_unique ON users (email) WHERE email IS NOT NULL AND deleted_at IS NULL');
  await knex.raw('CREATE UNIQUE INDEX users_phone_unique ON users (phone) WHERE phone IS NOT NULL AND deleted_at IS NULL');

  await knex.schema.createTable('memberships', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('user_id', 36).notNullable().references('users.id');
    t.string('role', 32).notNullable();
    t.string('resident_id', 36).nullable();
    timestamps(t);
    t.index(['user_id']);
  });
  await knex.raw(
    'CREATE UNIQUE INDEX memberships_unique ON memberships (estate_id, user_id, role) WHERE deleted_at IS NULL',
  );

  await knex.schema.createTable('sessions', (t) => {
    id(t);
    t.string('user_id', 36).notNullable().references('users.id');
    t.string('token_hash', 64).notNullable().unique();
    t.string('csrf_token', 64).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('expires_at', 32).notNullable();
    t.string('revoked_at', 32).nullable();
    t.string('user_agent', 300).nullable();
  });

  await knex.schema.createTable('api_tokens', (t) => {
    id(t);
    t.string('kind', 16).notNullable(); // user | device
    t.string('user_id', 36).nullable().references('users.id');
    t.string('estate_id', 36).nullable().references('estates.id');
    t.string('device_id', 36).nullable();
    t.string('name', 200).nullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('created_at', 32).notNullable();
    t.string('last_used_at', 32).nullable();
    t.string('revoked_at', 32).nullable();
  });

  await knex.schema.createTable('invites', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('user_id', 36).notNullable().references('users.id');
    t.string('code', 32).notNullable().unique();
    t.string('role', 32).notNullable();
    t.string('created_by', 36).nullable();
    t.string('expires_at', 32).notNullable();
    t.string('accepted_at', 32).nullable();
    t.string('created_at', 32).notNullable();
  });

  await knex.schema.createTable('units', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('code', 40).notNullable();
    // Natural order (A-2 before A-10): the code with every number zero-padded.
    t.string('sort_key', 120).notNullable();
    t.string('block', 20).nullable();
    t.string('type', 16).notNullable().defaultTo('rumah');
    t.double('land_area_m2').nullable();
    t.double('building_area_m2').nullable();
    t.string('occupancy', 24).notNullable().defaultTo('occupied');
    t.text('notes').nullable();
    timestamps(t);
    t.index(['estate_id', 'sort_key']);
    t.index(['estate_id', 'block', 'sort_key']);
  });
  await knex.raw('CREATE UNIQUE INDEX units_code_unique ON units (estate_id, code) WHERE deleted_at IS NULL');

  await knex.schema.createTable('residents', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('name', 200).notNullable();
    t.string('phone', 20).nullable();
    t.string('email', 254).nullable();
    t.boolean('directory_opt_in').notNullable().defaultTo(false);
    t.text('notes').nullable();
    timestamps(t);
    t.index(['estate_id', 'name']);
    t.index(['estate_id', 'phone']);
  });

  // A unit's history: who lived there, in which relation, from when to when.
  await knex.schema.createTable('unit_occupancies', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('resident_id', 36).notNullable().references('residents.id');
    t.string('relation', 16).notNullable();
    t.string('moved_in_on', 10).nullable();
    t.string('moved_out_on', 10).nullable();
    timestamps(t);
    t.index(['estate_id', 'unit_id']);
    t.index(['estate_id', 'resident_id']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    id(t);
    t.string('estate_id', 36).nullable();
    t.string('actor_user_id', 36).nullable();
    t.string('actor_role', 32).nullable();
    t.string('actor_device_id', 36).nullable();
    t.string('action', 64).notNullable();
    t.string('entity_table', 64).notNullable();
    t.string('entity_id', 36).nullable();
    t.text('before').nullable();
    t.text('after').nullable();
    t.string('created_at', 32).notNullable();
    t.index(['estate_id', 'created_at']);
    t.index(['estate_id', 'entity_table', 'entity_id']);
  });

  await knex.schema.createTable('outbox', (t) => {
    id(t);
    t.string('estate_id', 36).nullable();
    t.string('table_name', 64).notNullable();
    t.string('row_id', 36).notNullable();
    t.string('op', 16).notNullable(); // insert | update | delete
    t.string('hlc', 64).notNullable();
    t.string('site_id', 64).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('synced_at', 32).nullable();
    t.index(['hlc']);
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable();
    t.string('idem_key', 200).notNullable();
    t.string('route', 200).notNullable();
    t.string('request_hash', 64).notNullable();
    t.integer('status_code').notNullable();
    t.text('response').notNullable();
    t.string('created_at', 32).notNullable();
    t.unique(['estate_id', 'idem_key']);
  });

  // Human numbers (INV/2026/11/0001, PAY20261121001): one counter row per estate and series.
  await knex.schema.createTable('sequences', (t) => {
    t.string('estate_id', 36).notNullable();
    t.string('name', 64).notNullable();
    t.bigInteger('value').notNullable();
    t.primary(['estate_id', 'name']);
  });

  await knex.schema.createTable('site', (t) => {
    t.string('id', 64).primary();
    t.string('created_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'site', 'sequences', 'idempotency_keys', 'outbox', 'audit_log', 'unit_occupancies', 'residents', 'units',
    'invites', 'api_tokens', 'sessions', 'memberships', 'users', 'estates',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
