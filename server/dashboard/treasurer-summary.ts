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
}

export interface DashboardAccount {
  id: string;
  name: string;
  kind: string;
  balance: number;
}

export interface TreasurerDashboard {
  period: string;
  this_month: CollectionMonth;
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
  series: CollectionMonth[];
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
  top?: number;
}): TreasurerDashboard {
  const series = collectionByMonth(periodsEndingWith(input.period, 12), input.invoices);
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
  };
}
