import { collectionByMonth, type CollectionMonth, type InvoiceFact, periodsEndingWith } from '../reports/index.ts';
import { isOverdue, outstandingOf } from '../ledger/index.ts';

/**
 * The treasurer's dashboard as a pure function of invoice facts, units and account balances: this month's
 * collection, what is outstanding overall, cash per account, the units that owe most, and twelve months of billed
 * against collected.
 */
export interface DashboardUnit {
  id: string;
  code: string;
  resident: string | null;
  /** A removed unit still names its old debts but is not one of the estate's units any more. */
  deleted?: boolean;
}

export interface DashboardAccount {
  id: string;
  name: string;
  kind: string;
  balance: number;
}

/** A month's collection with the cash book's money in and out beside it (transfers between accounts left out). */
export type DashboardMonth = CollectionMonth & { income: number; spending: number };

/** A cash-book entry as the dashboard counts it. */
export interface DashboardEntry {
  direction: string;
  amount: number;
  category: string;
  entry_date: string;
}

export interface TreasurerDashboard {
  period: string;
  this_month: DashboardMonth;
  outstanding_total: number;
  /** Of the outstanding total, what is past its due date by the estate's today. */
  overdue_total: number;
  units_in_arrears: number;
  credit_total: number;
  pending_submissions: number;
  accounts: DashboardAccount[];
  cash_total: number;
  top_arrears: Array<{
    unit_id: string;
    code: string;
    resident: string | null;
    months_owed: number;
    outstanding: number;
    overdue: number;
    oldest_period: string;
  }>;
  series: DashboardMonth[];
  /** How far the estate is set up, for the first steps shown while it has no units or invoices. */
  setup: { units: number; fee_types: number; invoices: number };
}

/**
 * Money in and out per month, read as the monthly report reads it: a reversing entry takes back the side it undoes
 * (a reversed payment lowers income, not raises spending) and transfers between the estate's accounts are no money
 * in or out at all.
 */
function cashByMonth(entries: readonly DashboardEntry[]): Map<string, { income: number; spending: number }> {
  const months = new Map<string, { income: number; spending: number }>();
  for (const e of entries) {
    if (e.category === 'transfer') continue;
    const month = months.get(e.entry_date.slice(0, 7)) ?? { income: 0, spending: 0 };
    const amount = Number(e.amount);
    if (e.category === 'reversal') {
      if (e.direction === 'out') month.income -= amount;
      else month.spending -= amount;
    } else if (e.direction === 'in') month.income += amount;
    else month.spending += amount;
    months.set(e.entry_date.slice(0, 7), month);
  }
  return months;
}

export function treasurerDashboard(input: {
  period: string;
  invoices: Array<InvoiceFact & { due_date?: string }>;
  /** The estate's today (calendar/calendar.ts); without it nothing counts as overdue. */
  today?: string;
  units: DashboardUnit[];
  accounts: DashboardAccount[];
  creditTotal: number;
  pendingSubmissions: number;
  entries?: readonly DashboardEntry[];
  feeTypes?: number;
  top?: number;
}): TreasurerDashboard {
  const cash = cashByMonth(input.entries ?? []);
  const series = collectionByMonth(periodsEndingWith(input.period, 12), input.invoices).map((m) => ({
    ...m,
    income: cash.get(m.period)?.income ?? 0,
    spending: cash.get(m.period)?.spending ?? 0,
  }));
  const perUnit = new Map<string, { outstanding: number; overdue: number; periods: Set<string>; oldest: string }>();
  let outstandingTotal = 0;
  let overdueTotal = 0;
  for (const inv of input.invoices) {
    const owed = outstandingOf(inv);
    if (owed <= 0) continue;
    outstandingTotal += owed;
    const late = input.today && inv.due_date && isOverdue({ due_date: inv.due_date, outstanding: owed }, input.today) ? owed : 0;
    overdueTotal += late;
    const u = perUnit.get(inv.unit_id) ?? { outstanding: 0, overdue: 0, periods: new Set<string>(), oldest: inv.period };
    u.outstanding += owed;
    u.overdue += late;
    u.periods.add(inv.period);
    if (inv.period < u.oldest) u.oldest = inv.period;
    perUnit.set(inv.unit_id, u);
  }
  const unitById = new Map(input.units.map((u) => [u.id, u]));
  const top = [...perUnit]
    .map(([unitId, u]) => ({
      unit_id: unitId,
      code: unitById.get(unitId)?.code ?? '?',
      resident: unitById.get(unitId)?.resident ?? null,
      months_owed: u.periods.size,
      outstanding: u.outstanding,
      overdue: u.overdue,
      oldest_period: u.oldest,
    }))
    .sort((a, b) => b.outstanding - a.outstanding || b.months_owed - a.months_owed || a.code.localeCompare(b.code, 'id', { numeric: true }))
    .slice(0, input.top ?? 10);
  return {
    period: input.period,
    this_month: series[series.length - 1],
    outstanding_total: outstandingTotal,
    overdue_total: overdueTotal,
    units_in_arrears: perUnit.size,
    credit_total: input.creditTotal,
    pending_submissions: input.pendingSubmissions,
    accounts: input.accounts,
    cash_total: input.accounts.reduce((s, a) => s + a.balance, 0),
    top_arrears: top,
    series,
    setup: { units: input.units.filter((u) => !u.deleted).length, fee_types: input.feeTypes ?? 0, invoices: input.invoices.length },
  };
}
