import type { Knex } from 'knex';

/**
 * Fees, billing runs, invoices, payments, allocations and credit (saldo titipan). Money tables are append-only:
 * an invoice is voided or credited by an adjustment row, a payment by a reversal row, an allocation by a
 * negative allocation row that points at it. Balances are sums over these rows. Amounts are integer rupiah.
 */
function id(t: Knex.CreateTableBuilder) {
  t.string('id', 36).primary();
}
function estate(t: Knex.CreateTableBuilder) {
  t.string('estate_id', 36).notNullable().references('estates.id');
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('fee_types', (t) => {
    id(t);
    estate(t);
    t.string('code', 32).notNullable();
    t.string('name', 120).notNullable();
    t.string('basis', 16).notNullable(); // flat | per_m2
    t.text('unit_types').nullable(); // JSON array of unit types, null = all
    t.string('vacant_rule', 16).notNullable().defaultTo('exempt'); // charge | exempt | discount
    t.double('vacant_discount_percent').nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
  });
  await knex.raw('CREATE UNIQUE INDEX fee_types_code_unique ON fee_types (estate_id, code) WHERE deleted_at IS NULL');

  // A rate change is a new row from its effective period on; earlier periods keep the rate they were billed at.
  await knex.schema.createTable('fee_rates', (t) => {
    id(t);
    estate(t);
    t.string('fee_type_id', 36).notNullable().references('fee_types.id');
    t.string('effective_from', 7).notNullable(); // YYYY-MM
    t.bigInteger('amount').notNullable();
    t.text('amounts_by_type').nullable(); // JSON {unit type: amount}
    t.string('created_by', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['estate_id', 'fee_type_id']);
  });

  await knex.schema.createTable('billing_runs', (t) => {
    id(t);
    estate(t);
    t.string('period', 7).notNullable();
    t.string('due_date', 10).notNullable();
    t.string('trigger', 16).notNullable(); // manual | schedule
    t.string('status', 16).notNullable(); // completed
    t.integer('total_units').notNullable();
    t.integer('invoices_created').notNullable();
    t.integer('invoices_existing').notNullable();
    t.integer('units_not_billed').notNullable();
    t.integer('lines_created').notNullable();
    t.bigInteger('total_amount').notNullable();
    t.bigInteger('credit_applied').notNullable();
    t.string('started_at', 32).notNullable();
    t.string('finished_at', 32).notNullable();
    t.string('created_by', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['estate_id', 'period']);
  });

  await knex.schema.createTable('charges', (t) => {
    id(t);
    estate(t);
    t.string('name', 120).notNullable();
    t.bigInteger('amount').notNullable();
    t.string('period', 7).notNullable();
    t.string('due_date', 10).notNullable();
    t.integer('unit_count').notNullable();
    t.string('created_by', 36).nullable();
    t.string('created_at', 32).notNullable();
  });

  await knex.schema.createTable('invoices', (t) => {
    id(t);
    estate(t);
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('number', 32).notNullable();
    t.string('period', 7).notNullable();
    t.string('kind', 16).notNullable(); // dues | charge | late_fee
    // dues:<unit>:<period> | charge:<charge>:<unit> | late_fee:<invoice>: the same bill is never issued twice.
    t.string('identity_key', 120).notNullable();
    t.string('issue_date', 10).notNullable();
    t.string('due_date', 10).notNullable();
    t.bigInteger('total').notNullable();
    t.string('billing_run_id', 36).nullable();
    t.string('charge_id', 36).nullable();
    t.string('created_by', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.unique(['estate_id', 'identity_key']);
    t.unique(['estate_id', 'number']);
    t.index(['estate_id', 'unit_id', 'period']);
    t.index(['estate_id', 'period']);
  });

  await knex.schema.createTable('invoice_lines', (t) => {
    id(t);
    estate(t);
    t.string('invoice_id', 36).notNullable().references('invoices.id');
    t.string('fee_type_id', 36).nullable();
    t.string('fee_rate_id', 36).nullable();
    t.string('source_invoice_id', 36).nullable();
    t.string('description', 200).notNullable();
    t.string('quantity', 24).notNullable();
    t.bigInteger('unit_amount').notNullable();
    t.bigInteger('amount').notNullable();
    t.string('created_at', 32).notNullable();
    t.index(['invoice_id']);
  });

  await knex.schema.createTable('invoice_adjustments', (t) => {
    id(t);
    estate(t);
    t.string('invoice_id', 36).notNullable().references('invoices.id');
    t.string('kind', 16).notNullable(); // void | credit_note
    t.bigInteger('amount').notNullable();
    t.string('reason', 500).notNullable();
    t.string('created_by', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['estate_id', 'invoice_id']);
  });
  await knex.raw(
    "CREATE UNIQUE INDEX invoice_adjustments_one_void ON invoice_adjustments (invoice_id) WHERE kind = 'void'",
  );

  await knex.schema.createTable('payments', (t) => {
    id(t);
    estate(t);
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('number', 32).notNullable();
    t.bigInteger('amount').notNullable();
    t.string('method', 16).notNullable(); // cash | bank_transfer | qris | ewallet | other
    t.string('paid_at', 32).notNullable();
    t.string('reference', 100).nullable();
    t.string('notes', 500).nullable();
    t.string('source', 16).notNullable(); // office | portal
    t.string('submission_id', 36).nullable();
    t.string('recorded_by', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.unique(['estate_id', 'number']);
    t.index(['estate_id', 'unit_id']);
    t.index(['estate_id', 'paid_at']);
  });

  await knex.schema.createTable('payment_reversals', (t) => {
    id(t);
    estate(t);
    t.string('payment_id', 36).notNullable().unique().references('payments.id');
    t.string('reason', 500).notNullable();
    t.string('created_by', 36).nullable();
    t.string('created_at', 32).notNullable();
  });

  await knex.schema.createTable('payment_allocations', (t) => {
    id(t);
    estate(t);
    t.string('unit_id', 36).notNullable();
    t.string('invoice_id', 36).notNullable().references('invoices.id');
    t.string('payment_id', 36).nullable(); // null: funded from credit
    t.bigInteger('amount').notNullable(); // negative rows undo earlier ones
    t.string('reverses_allocation_id', 36).nullable();
    t.string('reason', 24).notNullable(); // payment | credit | payment_reversal | void | clawback
    t.string('created_at', 32).notNullable();
    t.index(['estate_id', 'invoice_id']);
    t.index(['estate_id', 'unit_id']);
    t.index(['payment_id']);
  });

  await knex.schema.createTable('credit_movements', (t) => {
    id(t);
    estate(t);
    t.string('unit_id', 36).notNullable();
    t.bigInteger('amount').notNullable(); // + into credit, − out of it
    t.string('kind', 24).notNullable(); // payment_excess | applied | void_release | payment_reversal | clawback | refund
    t.string('payment_id', 36).nullable();
    t.string('invoice_id', 36).nullable();
    t.string('refund_id', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.index(['estate_id', 'unit_id']);
  });

  await knex.schema.createTable('credit_refunds', (t) => {
    id(t);
    estate(t);
    t.string('unit_id', 36).notNullable().references('units.id');
    t.bigInteger('amount').notNullable();
    t.string('method', 16).notNullable();
    t.string('reason', 500).nullable();
    t.string('refunded_at', 32).notNullable();
    t.string('created_by', 36).nullable();
    t.string('created_at', 32).notNullable();
  });

  // A resident's transfer proof from the portal: waits as pending until the treasurer verifies (→ a payment)
  // or rejects it with a reason.
  await knex.schema.createTable('payment_submissions', (t) => {
    id(t);
    estate(t);
    t.string('unit_id', 36).notNullable().references('units.id');
    t.string('resident_id', 36).nullable();
    t.string('submitted_by', 36).nullable();
    t.bigInteger('amount').notNullable();
    t.string('method', 16).notNullable();
    t.string('paid_at', 32).notNullable();
    t.string('reference', 100).nullable();
    t.string('note', 500).nullable();
    t.text('invoice_ids').nullable(); // JSON array
    t.string('status', 16).notNullable(); // pending | verified | rejected
    t.string('review_reason', 500).nullable();
    t.string('reviewed_by', 36).nullable();
    t.string('reviewed_at', 32).nullable();
    t.string('payment_id', 36).nullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('deleted_at', 32).nullable();
    t.index(['estate_id', 'status']);
  });

  // Proof images/PDFs for payments and submissions, kept in the database so backups and sync carry them.
  await knex.schema.createTable('payment_proofs', (t) => {
    id(t);
    estate(t);
    t.string('owner_table', 32).notNullable(); // payments | payment_submissions
    t.string('owner_id', 36).notNullable();
    t.string('filename', 200).notNullable();
    t.string('mime', 100).notNullable();
    t.integer('size').notNullable();
    t.binary('data').notNullable();
    t.string('created_at', 32).notNullable();
    t.index(['estate_id', 'owner_table', 'owner_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'payment_proofs', 'payment_submissions', 'credit_refunds', 'credit_movements', 'payment_allocations',
    'payment_reversals', 'payments', 'invoice_adjustments', 'invoice_lines', 'invoices', 'charges', 'billing_runs',
    'fee_rates', 'fee_types',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
