// Child process for the crash tests: bills a period or records payments on a real SQLite file until the parent
// kills it. It prints READY once the database is open, so the parent's kill lands inside the work.
import { runBilling } from '../../server/ledger/billing-run.ts';
import type { Period } from '../../server/calendar/calendar.ts';
import { openDatabase } from '../../server/db/knex.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { loadSyncContext } from '../../server/db/sync-context.ts';
import { recordPayment } from '../../server/ledger/payment-service.ts';

const [mode, dataDir, estateId, arg] = process.argv.slice(2);
const db = openDatabase({ dataDir });
const store = new ScopedStore(db.knex, estateId, SYSTEM_ACTOR, await loadSyncContext(db.knex));
const units = (await store.live('units').orderBy('code').limit(200).select('id')) as Array<{ id: string }>;
process.stdout.write('READY\n');
if (mode === 'billing') {
  const run = await runBilling(store, { period: arg as Period, due_date: `${arg}-10` });
  process.stdout.write(`DONE ${run.invoices_created}\n`);
} else {
  for (let i = 0; i < Number(arg); i++) {
    const unit = units[i % units.length];
    await recordPayment(store, {
      unit_id: unit.id,
      amount: 50_000 + (i % 7) * 60_000,
      method: i % 2 ? 'cash' : 'bank_transfer',
      paid_at: new Date().toISOString(),
    });
  }
  process.stdout.write('DONE\n');
}
await db.close();
