/**
 * Account balances derived from entries, never stored. For a date range [from, to] (inclusive, YYYY-MM-DD):
 * opening = everything before `from`, in/out = movements inside the range, closing = opening + in − out.
 * Pure, so the API, the monthly report and the property test share it.
 */
export interface BalanceEntry {
  account_id: string;
  direction: 'in' | 'out';
  amount: number;
  entry_date: string;
}

export interface AccountMovement {
  account_id: string;
  opening: number;
  total_in: number;
  total_out: number;
  closing: number;
}

export function summarizeAccounts(
  accountIds: readonly string[],
  entries: Iterable<BalanceEntry>,
  range: { from?: string; to?: string } = {},
): Map<string, AccountMovement> {
  const out = new Map<string, AccountMovement>();
  for (const id of accountIds) out.set(id, { account_id: id, opening: 0, total_in: 0, total_out: 0, closing: 0 });
  for (const e of entries) {
    const m = out.get(e.account_id);
    if (!m) continue;
    if (range.to !== undefined && e.entry_date > range.to) continue;
    const amount = Number(e.amount);
    if (range.from !== undefined && e.entry_date < range.from) {
      m.opening += e.direction === 'in' ? amount : -amount;
    } else if (e.direction === 'in') {
      m.total_in += amount;
    } else {
      m.total_out += amount;
    }
  }
  for (const m of out.values()) {
    m.closing = m.opening + m.total_in - m.total_out;
    if (!Number.isSafeInteger(m.closing)) throw new RangeError('cash-book balance exceeds safe integer range');
  }
  return out;
}

/**
 * The lowest an account's balance reaches if `amount` leaves it on a day: entries are read in book order (date, then
 * seq) and a new entry goes after the ones already on its day, so it is the balance at the end of that day minus
 * `amount`, and every running balance after it (entries dated later, in book order) minus `amount`.
 */
export function lowestBalanceAfterWithdrawal(
  balanceThroughDay: number,
  laterEntries: Iterable<Pick<BalanceEntry, 'direction' | 'amount'>>,
  amount: number,
): number {
  let running = balanceThroughDay - amount;
  let lowest = running;
  for (const e of laterEntries) {
    running += e.direction === 'in' ? Number(e.amount) : -Number(e.amount);
    if (running < lowest) lowest = running;
  }
  return lowest;
}
