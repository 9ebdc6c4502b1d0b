import type { Knex } from 'knex';

/**
 * The guard post: the estate's pass-signing key, gates, paired kiosk devices, guards and their shifts, passes
 * (resident, guest, temporary), visits (who is inside), the access log and the host notifications of walk-ins.
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
  // One Ed25519 key pair per estate; the private key signs pass QR payloads and never leaves the server.
  await knex.schema.createTable('gate_signing_keys', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().unique().references('estates.id');
    t.text('public_key_pem').notNullable();
    t.text('private_key_pem').notNullable();
    timestamps(t);
  });

  await knex.schema.createTable('gates', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('name', 100).notNullable();
    // Printer configuration for guest slips at this gate (JSON, see server/devices), or null for none.
    t.text('printer').nullable();
    timestamps(t);
    t.index(['estate_id']);
  });

  await knex.schema.createTable('gate_devices', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('name', 100).notNullable();
    t.string('kind', 16).notNullable(); // kiosk
    t.string('pairing_code_hash', 64).nullable().unique();
    t.string('pairing_expires_at', 32).nullable();
    t.string('paired_at', 32).nullable();
    t.string('revoked_at', 32).nullable();
    timestamps(t);
    t.index(['estate_id']);
  });

  await knex.schema.createTable('gate_guards', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('name', 100).notNullable();
    t.string('pin_hash', 200).notNullable();
    timestamps(t);
    t.index(['estate_id']);
  });

  await knex.schema.createTable('gate_shifts', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('device_id', 36).notNullable().references('gate_devices.id');
    t.string('gate_id', 36).notNullable().references('gates.id');
    t.string('guard_id', 36).notNullable().references('gate_guards.id');
    t.string('started_at', 32).notNullable();
    t.string('ended_at', 32).nullable();
    timestamps(t);
    t.index(['estate_id', 'device_id', 'ended_at']);
  });

  await knex.schema.createTable('passes', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('kind', 16).notNullable(); // resident | guest | temporary
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('resident_id', 36).nullable().references('residents.id');
    t.string('name', 200).notNullable();
    t.string('phone', 20).nullable();
    t.string('plate', 16).nullable();
    t.string('purpose', 200).nullable();
    t.integer('people').notNullable().defaultTo(1);
    t.string('valid_from', 32).notNullable();
    t.string('valid_until', 32).notNullable();
    t.integer('max_uses').nullable(); // null: unlimited
    t.integer('uses').notNullable().defaultTo(0);
    t.string('code', 8).notNullable();
    t.string('created_via', 16).notNullable(); // office | portal | system
    t.string('created_by', 36).nullable();
    t.string('revoked_at', 32).nullable();
    t.string('revoked_reason', 32).nullable();
    timestamps(t);
    t.index(['estate_id', 'code']);
    t.index(['estate_id', 'unit_id', 'valid_from']);
    t.index(['estate_id', 'resident_id']);
    t.index(['estate_id', 'kind', 'valid_from']);
  });

  // A person inside the estate: opened by an accepted entry (guest, temporary, walk-in), closed by the exit.
  await knex.schema.createTable('gate_visits', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('kind', 16).notNullable(); // guest | temporary | walk_in
    t.string('pass_id', 36).nullable().references('passes.id');
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('name', 200).notNullable();
    t.string('phone', 20).nullable();
    t.string('plate', 16).nullable();
    t.string('purpose', 200).nullable();
    t.integer('people').notNullable().defaultTo(1);
    t.boolean('id_card_left').notNullable().defaultTo(false);
    t.string('entered_at', 32).notNullable();
    t.string('entry_gate_id', 36).nullable().references('gates.id');
    t.string('expected_until', 32).nullable();
    t.string('exited_at', 32).nullable();
    t.string('exit_gate_id', 36).nullable().references('gates.id');
    timestamps(t);
    t.index(['estate_id', 'exited_at']);
    t.index(['estate_id', 'pass_id']);
    t.index(['estate_id', 'unit_id', 'entered_at']);
  });

  // Append-only: every scan and decision. Names are copied in so the log reads the same after renames.
  await knex.schema.createTable('gate_access_log', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('occurred_at', 32).notNullable();
    t.string('direction', 3).notNullable(); // in | out
    t.string('verdict', 8).notNullable(); // accepted | rejected
    t.string('reason', 16).nullable();
    t.string('method', 16).notNullable(); // qr | code | walk_in | manual
    t.string('gate_id', 36).nullable();
    t.string('gate_name', 100).nullable();
    t.string('guard_id', 36).nullable();
    t.string('guard_name', 100).nullable();
    t.string('device_id', 36).nullable();
    t.string('pass_id', 36).nullable();
    t.string('pass_kind', 16).nullable();
    t.string('visit_id', 36).nullable();
    t.string('person_name', 200).nullable();
    t.string('unit_id', 36).nullable();
    t.string('unit_code', 40).nullable();
    t.string('plate', 16).nullable();
    t.string('purpose', 200).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['estate_id', 'occurred_at']);
    t.index(['estate_id', 'unit_id', 'occurred_at']);
    t.index(['estate_id', 'plate', 'occurred_at']);
  });

  await knex.schema.createTable('gate_notifications', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('visit_id', 36).nullable().references('gate_visits.id');
    t.string('kind', 16).notNullable(); // walk_in | guest_arrived
    t.string('guest_name', 200).notNullable();
    t.string('purpose', 200).nullable();
    t.string('gate_name', 100).nullable();
    t.string('read_at', 32).nullable();
    timestamps(t);
    t.index(['estate_id', 'unit_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'gate_notifications', 'gate_access_log', 'gate_visits', 'passes', 'gate_shifts', 'gate_guards', 'gate_devices',
    'gates', 'gate_signing_keys',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
