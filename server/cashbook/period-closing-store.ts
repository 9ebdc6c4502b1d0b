import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError } from '../http/errors.ts';
import { queryTemplate } from '../db/query-template.ts';

export interface PeriodEventRow {
  id: string;
  estate_id: string;
  period: string;
  action: 'close' | 'reopen';
  reason: string | null;
  actor_user_id: string | null;
  /** 1 for a month's first close, 2 for the reopen after it, …; null on events written before it was recorded. */
  change_no: number | null;
  created_at: string;
}

/** Latest close/reopen event per period; a period is closed when its latest event is a close. */
const onePeriodQuery = queryTemplate<'estateId' | 'period'>((knex, p) =>
  knex('cashbook_period_events')
    .where({ estate_id: p.estateId, period: p.period })
    .orderBy([{ column: 'created_at' }, { column: 'id' }]),
);

export async function periodStates(tx: ScopedStore, periods?: string[]): Promise<Map<string, PeriodEventRow>> {
  if (periods?.length === 1) {
    // Every payment and cash-book line asks about the one month it falls in.
    const rows = await tx.select<PeriodEventRow>(onePeriodQuery, { period: periods[0] });
    return rows.length ? new Map([[periods[0], rows[rows.length - 1]]]) : new Map();
  }
  let q = tx.query('cashbook_period_events').orderBy([{ column: 'created_at' }, { column: 'id' }]);
  if (periods) q = q.whereIn('cashbook_period_events.period', periods);
  const latest = new Map<string, PeriodEventRow>();
  for (const row of (await q) as PeriodEventRow[]) latest.set(row.period, row);
  return latest;
}

/**
 * A month's latest event and how many state changes it has had. The next close or reopen is change `changes + 1`;
 * the unique index on (estate, period, change_no) lets only one of two simultaneous changes land.
 */
export async function periodChanges(tx: ScopedStore, period: string): Promise<{ latest: PeriodEventRow | undefined; changes: number }> {
  const rows = await tx.select<PeriodEventRow>(onePeriodQuery, { period });
  return { latest: rows[rows.length - 1], changes: rows.length };
}

export async function isPeriodClosed(tx: ScopedStore, period: string): Promise<boolean> {
  return (await periodStates(tx, [period])).get(period)?.action === 'close';
}

export function monthClosedError(period: string): ConflictError {
  return new ConflictError(
    'MONTH_CLOSED',
    `Buku kas bulan ${period} sudah ditutup; buka kembali dengan alasan untuk mencatat transaksi di bulan itu.`,
    'entry_date',
  );
}

export async function assertPeriodsOpen(tx: ScopedStore, dates: string[]): Promise<void> {
  const periods = [...new Set(dates.map((d) => d.slice(0, 7)))];
  const states = await periodStates(tx, periods);
  for (const period of periods) {
    if (states.get(period)?.action === 'close') throw monthClosedError(period);
  }
}
