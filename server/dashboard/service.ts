import { DateTime } from 'luxon';
import type { ScopedStore } from '../db/scoped-store.ts';
import { summarizeAccounts } from '../cashbook/index.ts';
import { cashbookAccounts, cashbookEntriesUpTo, invoiceFacts, pendingSubmissions, reportUnits, totalCredit } from '../reports/index.ts';
import { treasurerDashboard, type TreasurerDashboard } from './treasurer-summary.ts';

export async function dashboardOf(store: ScopedStore, estate: Record<string, unknown>, now = new Date()): Promise<TreasurerDashboard> {
  const tz = typeof estate.timezone === 'string' && estate.timezone ? estate.timezone : 'Asia/Jakarta';
  const today = DateTime.fromJSDate(now).setZone(tz).toISODate()!;
  const [invoices, units, accounts, entries, creditTotal, pending, feeTypes] = await Promise.all([
    invoiceFacts(store),
    reportUnits(store),
    cashbookAccounts(store),
    cashbookEntriesUpTo(store, '9999-12-31'),
    totalCredit(store),
    pendingSubmissions(store),
    store.live('fee_types').count({ n: '*' }).first(),
  ]);
  const balances = summarizeAccounts(
    accounts.map((a) => a.id),
    entries,
  );
  return treasurerDashboard({
    period: today.slice(0, 7),
    today,
    invoices,
    units,
    accounts: accounts.map((a) => ({ id: a.id, name: a.name, kind: a.kind, balance: balances.get(a.id)!.closing })),
    creditTotal,
    pendingSubmissions: pending,
    entries,
    feeTypes: Number((feeTypes as { n?: unknown } | undefined)?.n ?? 0),
  });
}
