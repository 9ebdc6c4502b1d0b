// A resident's balance adds the overflow of their unit's invoices (invoice-balance.ts). Its sums must read the rows of
// that unit's invoices only: when they were filtered by the allocations' own unit_id, SQLite's planner chose the
// (estate_id, invoice_id) index for the GROUP BY's order and walked every allocation of the estate, 7 ms a balance
// at 2,000 units (npm run bench -- portal-reads), where the other portal reads take 0.2 ms.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { OVERFLOW_OF_UNIT_SQL } from '../../server/ledger/invoice-balance.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';

const sqlite = BACKENDS.find((b) => b.name === 'sqlite')!;

describe('the plan of a unit’s overflow on SQLite', () => {
  let opened: OpenedBackend;
  beforeEach(async () => {
    opened = await sqlite.open();
    await migrateToLatest(opened.db);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('reads allocations and adjustments by invoice, never a range over the whole estate', async () => {
    const sql = OVERFLOW_OF_UNIT_SQL.replaceAll(':estate_id', '?');
    const bindings = (sql.match(/\?/g) ?? []).map(() => 'x');
    const plan = ((await opened.db.knex.raw(`explain query plan ${sql}`, bindings)) as { detail: string }[]).map((r) => r.detail);
    const reads = plan.filter((line) => /\b(payment_allocations|invoice_adjustments)\b/.test(line));
    expect(reads.length, plan.join('\n')).toBeGreaterThanOrEqual(2);
    for (const line of reads) {
      expect(line, plan.join('\n')).not.toMatch(/^SCAN/);
      // An index search on the estate alone is a walk over every row of the estate.
      expect(line, plan.join('\n')).not.toMatch(/\(estate_id=\?\)$/);
    }
  });
});
