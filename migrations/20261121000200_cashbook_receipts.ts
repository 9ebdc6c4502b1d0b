import type { Knex } from 'knex';

/**
 * The cash book (accounts, hash-chained entries, attachments, month closings), receipts for payments with their
 * print history, and per-estate settings documents (printer, receipt header). Money columns are bigint rupiah.
 */
function id(t: Knex.CreateTableBuilder) {
  t.string('id', 36).primary();
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cashbook_accounts', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('name', 120).notNullable();
    t.string('kind', 16).notNullable(); // cash | bank | ewallet
    t.string('institution', 120).nullable();
    t.string('account_number', 60).nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.index(['estate_id', 'kind']);
  });

  // Append-only. `seq` orders the per-estate hash chain; the unique index also serialises concurrent appends.
  await knex.schema.createTable('cashbook_entries', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.bigInteger('seq').notNullable();
    t.string('account_id', 36).notNullable().references('cashbook_accounts.id');
    t.string('direction', 3).notNullable(); // in | out
    t.bigInteger('amount').notNullable();
    t.string('category', 40).notNullable();
    t.string('entry_date', 10).notNullable(); // YYYY-MM-DD in the estate's time zone
    t.text('description').notNullable();
    t.string('proof_number', 80).nullable();
    t.string('source_type', 24).notNullable(); // manual | opening | payment | payment_reversal | credit_refund | transfer | reversal
    t.string('source_id', 36).nullable();
    t.string('reverses_entry_id', 36).nullable();
    t.string('transfer_id', 36).nullable();
    t.string('recorded_by', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.unique(['estate_id', 'seq']);
    t.index(['estate_id', 'entry_date']);
    t.index(['estate_id', 'account_id']);
  });
  // One posting per source and direction: a payment posts once, is reversed once; an entry is reversed once.
  await knex.raw(
    'CREATE UNIQUE INDEX cashbook_entries_source_unique ON cashbook_entries (estate_id, source_type, source_id, direction) WHERE source_id IS NOT NULL',
  );

  await knex.schema.createTable('cashbook_attachments', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('entry_id', 36).notNullable().references('cashbook_entries.id');
    t.string('filename', 200).notNullable();
    t.string('content_type', 100).notNullable();
    t.integer('size_bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('content').notNullable();
    t.string('uploaded_by', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['estate_id', 'entry_id']);
  });

  // Closing and reopening are events; a period is closed when its latest event is a close.
  await knex.schema.createTable('cashbook_period_events', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('period', 7).notNullable(); // YYYY-MM
    t.string('action', 8).notNullable(); // close | reopen
    t.text('reason').nullable();
    t.string('actor_user_id', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['estate_id', 'period', 'created_at']);
  });

  await knex.schema.createTable('receipts', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('payment_id', 36).notNullable();
    t.string('receipt_number', 40).notNullable();
    t.string('verify_code', 64).notNullable().unique();
    t.string('created_at', 32).notNullable();
    t.unique(['estate_id', 'payment_id']);
    t.unique(['estate_id', 'receipt_number']);
  });

  // Every print or download after the first is a copy; the count is printed on it.
  await knex.schema.createTable('receipt_prints', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('receipt_id', 36).notNullable().references('receipts.id');
    t.integer('print_number').notNullable(); // 1 = original
    t.string('format', 16).notNullable(); // pdf | thermal
    t.string('printed_by', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.unique(['receipt_id', 'print_number']);
  });

  await knex.schema.createTable('estate_settings', (t) => {
    id(t);
    t.string('estate_id', 36).notNullable().references('estates.id');
    t.string('key', 64).notNullable();
    t.text('value').notNullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.unique(['estate_id', 'key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'estate_settings', 'receipt_prints', 'receipts', 'cashbook_period_events', 'cashbook_attachments',
    'cashbook_entries', 'cashbook_accounts',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
