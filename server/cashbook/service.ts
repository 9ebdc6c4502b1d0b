import type { ScopedStore } from '../db/scoped-store.ts';
import { newId } from '../db/ids.ts';
import { AppError, ConflictError, NotFoundError, UnprocessableError } from '../http/errors.ts';
import type { z } from 'zod';
import { listAccounts, type CashbookAccountRow } from './accounts-store.ts';
import { appendCashbookEntries, ENTRY_COLUMNS, lockCashbook, normalizeEntry, type CashbookEntryRow } from './append-entry.ts';
import { estateToday, periodDays } from '../calendar/calendar.ts';
import { lowestBalanceAfterWithdrawal, summarizeAccounts } from './balances.ts';
import { assertEntryCategory } from './category-store.ts';
import { periodChanges, periodStates } from './period-closing-store.ts';
import type {
  accountCreateSchema,
  entryCreateSchema,
  entryListQuery,
  entryReverseSchema,
  openingBalanceSchema,
  transferCreateSchema,
} from './schemas.ts';
import { verifyCashbookChain } from './verify.ts';
import { assertCashbookHome } from './home-site.ts';

type AccountCreate = z.infer<typeof accountCreateSchema>;
type EntryCreate = z.infer<typeof entryCreateSchema>;
type EntryList = z.infer<typeof entryListQuery>;
type EntryReverse = z.infer<typeof entryReverseSchema>;
type TransferCreate = z.infer<typeof transferCreateSchema>;
type OpeningBalance = z.infer<typeof openingBalanceSchema>;

function actorId(store: ScopedStore): string | null {
  return store.actor.userId ?? null;
}

export async function createAccount(store: ScopedStore, body: AccountCreate) {
  return store.transaction(async (tx) => {
    const account = await tx.insert<CashbookAccountRow & Record<string, unknown>>('cashbook_accounts', {
      name: body.name,
      kind: body.kind,
      institution: body.institution ?? null,
      account_number: body.account_number ?? null,
      deleted_at: null,
    });
    // The opening balance is an entry like any other, so it is covered by the hash chain and month closing.
    if (body.opening_balance) {
      await appendCashbookEntries(tx, [
        {
          account_id: account.id,
          direction: 'in',
          amount: body.opening_balance,
          category: 'opening_balance',
          entry_date: body.opening_date ?? estateToday(await tx.timezone()),
          description: `Saldo awal ${body.name}`,
          source_type: 'opening',
          source_id: account.id,
          recorded_by: actorId(tx),
        },
      ]);
    }
    return (await accountsWithBalances(tx)).find((a) => a.id === account.id)!;
  });
}

/** Accounts with balances derived from entries; with a period, that month's opening, movements and closing. */
export async function accountsWithBalances(store: ScopedStore, period?: string) {
  const accounts = await listAccounts(store);
  // Summed per account, direction and day in SQL: a year of entries becomes at most a few thousand rows, and the
  // arithmetic stays in summarizeAccounts, the one definition the reports share.
  const daily: Record<string, any>[] = await store
    .query('cashbook_entries')
    .groupBy('account_id', 'direction', 'entry_date', 'source_type')
    .select('account_id', 'direction', 'entry_date', 'source_type')
    .sum({ amount: 'amount' });
  const opening = new Map<string, number>();
  for (const e of daily) {
    if (e.source_type === 'opening') opening.set(e.account_id, (opening.get(e.account_id) ?? 0) + Number(e.amount));
  }
  const range = period ? periodDays(period) : {};
  const summary = summarizeAccounts(
    accounts.map((a) => a.id),
    daily.map((e) => ({ account_id: e.account_id, direction: e.direction, entry_date: e.entry_date, amount: Number(e.amount) })),
    range,
  );
  return accounts.map((a) => {
    const m = summary.get(a.id)!;
    return {
      id: a.id,
      name: a.name,
      kind: a.kind,
      institution: a.institution,
      account_number: a.account_number,
      opening_balance: opening.get(a.id) ?? 0,
      ...(period ? { period, period_opening: m.opening, period_in: m.total_in, period_out: m.total_out, period_closing: m.closing } : {}),
      balance: period ? undefined : m.closing,
      created_at: a.created_at,
    };
  });
}

export async function listEntries(store: ScopedStore, q: EntryList) {
  const base = () => {
    let b = store.query('cashbook_entries');
    if (q.account_id) b = b.where('cashbook_entries.account_id', q.account_id);
    if (q.category) b = b.where('cashbook_entries.category', q.category);
    if (q.direction) b = b.where('cashbook_entries.direction', q.direction);
    if (q.from) b = b.where('cashbook_entries.entry_date', '>=', q.from);
    if (q.to) b = b.where('cashbook_entries.entry_date', '<=', q.to);
    return b;
  };
  const [{ n }] = await base().count({ n: '*' });
  const rows: Record<string, any>[] = await base()
    .orderBy([
      { column: 'entry_date', order: 'desc' },
      { column: 'seq', order: 'desc' },
    ])
    .limit(q.limit)
    .offset(q.offset)
    .select(ENTRY_COLUMNS.map((c) => `cashbook_entries.${c}`));
  const attachmentCounts = new Map<string, number>();
  if (rows.length) {
    const counts = await store
      .query('cashbook_attachments')
      .whereIn(
        'cashbook_attachments.entry_id',
        rows.map((r) => r.id),
      )
      .groupBy('entry_id')
      .select('entry_id')
      .count({ n: '*' });
    for (const c of counts) attachmentCounts.set(c.entry_id as string, Number(c.n));
  }
  const running = await runningBalancesOf(
    store,
    rows.map((r) => r.id as string),
  );
  return {
    items: rows.map((r) => ({
      ...normalizeEntry(r),
      attachments: attachmentCounts.get(r.id) ?? 0,
      running_balance: running.get(r.id) ?? 0,
    })),
    total: Number(n),
    limit: q.limit,
    offset: q.offset,
  };
}

/**
 * Each listed entry's account balance right after it, in book order (date, then seq): what the treasurer's paper
 * book shows in its saldo column, whatever filter chose the rows.
 */
async function runningBalancesOf(store: ScopedStore, ids: string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const marks = ids.map(() => '?').join(', ');
  const rows = await store.estateRows<{ id: string; running: number | string }>(
    `select id, running from (
       select e.id, sum(case when e.direction = 'in' then e.amount else -e.amount end)
         over (partition by e.account_id order by e.entry_date, e.seq rows between unbounded preceding and current row) as running
       from cashbook_entries e
       where e.estate_id = :estate_id
         and e.account_id in (select account_id from cashbook_entries where estate_id = :estate_id and id in (${marks}))
     ) b where b.id in (${marks})`,
    [...ids, ...ids],
  );
  return new Map(rows.map((r) => [r.id, Number(r.running)]));
}

/**
 * Money going out that would take the account below zero on its day or any later one needs the treasurer's
 * confirmation (`confirm_below_zero`): a typo in the amount or the account is caught before it is in the chain.
 */
async function assertStaysAboveZero(tx: ScopedStore, accountId: string, day: string, amount: number): Promise<void> {
  const through = await tx
    .query('cashbook_entries')
    .where('cashbook_entries.account_id', accountId)
    .where('cashbook_entries.entry_date', '<=', day)
    .select(tx.knex.raw("coalesce(sum(case when direction = 'in' then amount else -amount end), 0) as balance"))
    .first();
  const later = await tx
    .query('cashbook_entries')
    .where('cashbook_entries.account_id', accountId)
    .where('cashbook_entries.entry_date', '>', day)
    .orderBy([{ column: 'entry_date' }, { column: 'seq' }])
    .select('direction', 'amount');
  const lowest = lowestBalanceAfterWithdrawal(Number(through?.balance ?? 0), later, amount);
  if (lowest < 0) {
    throw new AppError(409, 'BALANCE_BELOW_ZERO', 'Saldo akun akan menjadi minus. Periksa jumlah dan akunnya, lalu konfirmasi.', 'amount', {
      account_id: accountId,
      lowest_balance: lowest,
    });
  }
}

export async function getEntry(store: ScopedStore, id: string): Promise<CashbookEntryRow> {
  const row = await store.query('cashbook_entries').where('cashbook_entries.id', id).first(ENTRY_COLUMNS);
  if (!row) throw new NotFoundError('Transaksi kas');
  return normalizeEntry(row);
}

export async function createEntry(store: ScopedStore, body: EntryCreate) {
  return store.transaction(async (tx) => {
    await assertCashbookHome(tx);
    await assertEntryCategory(tx, body.category);
    // Locked before the balance is read, so two withdrawals at once cannot both see the money that is there.
    await lockCashbook(tx);
    if (body.direction === 'out' && !body.confirm_below_zero) {
      const account = await tx.live('cashbook_accounts').where('cashbook_accounts.id', body.account_id).first('id');
      if (!account) throw new NotFoundError('Akun kas');
      await assertStaysAboveZero(tx, body.account_id, body.entry_date, body.amount);
    }
    const [entry] = await appendCashbookEntries(tx, [
      {
        account_id: body.account_id,
        direction: body.direction,
        amount: body.amount,
        category: body.category,
        entry_date: body.entry_date,
        description: body.description,
        proof_number: body.proof_number ?? null,
        source_type: 'manual',
        recorded_by: actorId(tx),
      },
    ]);
    return entry;
  });
}

/**
 * An account's opening balance (saldo awal) when the estate starts keeping its book here: one entry per account, set
 * once (409 OPENING_BALANCE_EXISTS, also when it came with the account), dated on or before the account's first
 * entry so the balance column starts from it. Appended like any entry: the chain stays one line in seq order and
 * the month it is dated in must be open.
 */
export async function setOpeningBalance(store: ScopedStore, accountId: string, body: OpeningBalance) {
  return store.transaction(async (tx) => {
    await assertCashbookHome(tx);
    await lockCashbook(tx);
    const account = await tx.live('cashbook_accounts').where('cashbook_accounts.id', accountId).first('id', 'name');
    if (!account) throw new NotFoundError('Akun kas');
    const existing = await tx
      .query('cashbook_entries')
      .where({ 'cashbook_entries.account_id': accountId, 'cashbook_entries.source_type': 'opening' })
      .first('id');
    if (existing) throw new ConflictError('OPENING_BALANCE_EXISTS', 'Saldo awal akun ini sudah dicatat.', 'amount');
    const first = await tx.query('cashbook_entries').where('cashbook_entries.account_id', accountId).min({ day: 'entry_date' }).first();
    if (first?.day && body.entry_date > first.day) {
      throw new UnprocessableError(
        'OPENING_AFTER_ENTRIES',
        `Tanggal saldo awal harus sebelum atau sama dengan catatan pertama akun ini (${first.day}).`,
        'entry_date',
      );
    }
    const [entry] = await appendCashbookEntries(
      tx,
      [
        {
          account_id: accountId,
          direction: 'in',
          amount: body.amount,
          category: 'opening_balance',
          entry_date: body.entry_date,
          description: body.description ?? `Saldo awal ${account.name}`,
          source_type: 'opening',
          source_id: accountId,
          recorded_by: actorId(tx),
        },
      ],
      { accountsChecked: true },
    );
    return entry;
  });
}

/**
 * Corrections never edit: the opposite movement on the same account, linked to the original. A transfer is undone
 * as a whole (both legs). Payment postings are undone by reversing the payment, so the ledger and the cash book
 * cannot disagree.
 */
export async function reverseEntry(store: ScopedStore, id: string, body: EntryReverse) {
  return store.transaction(async (tx) => {
    await assertCashbookHome(tx);
    // Two corrections of one entry at once: the second sees the first's reversing entry and answers 409.
    await lockCashbook(tx);
    const original = await getEntry(tx, id);
    if (original.source_type === 'payment' || original.source_type === 'payment_reversal' || original.source_type === 'credit_refund') {
      throw new ConflictError('ENTRY_FROM_PAYMENT', 'Transaksi ini berasal dari pembayaran; batalkan pembayarannya.');
    }
    if (original.source_type === 'reversal') {
      throw new ConflictError('ENTRY_IS_REVERSAL', 'Transaksi koreksi tidak dapat dibalik lagi.');
    }
    const legs: CashbookEntryRow[] = original.transfer_id
      ? (
          await tx
            .query('cashbook_entries')
            .where('cashbook_entries.transfer_id', original.transfer_id)
            .orderBy('seq')
            .select(ENTRY_COLUMNS)
        ).map((r: Record<string, unknown>) => normalizeEntry(r))
      : [original];
    const already = await tx
      .query('cashbook_entries')
      .where('cashbook_entries.source_type', 'reversal')
      .whereIn(
        'cashbook_entries.source_id',
        legs.map((l) => l.id),
      )
      .first('id');
    if (already) throw new ConflictError('ALREADY_REVERSED', 'Transaksi ini sudah dikoreksi.');
    const date = body.entry_date ?? estateToday(await tx.timezone());
    return appendCashbookEntries(
      tx,
      legs.map((leg) => ({
        account_id: leg.account_id,
        direction: leg.direction === 'in' ? ('out' as const) : ('in' as const),
        amount: leg.amount,
        category: 'reversal',
        entry_date: date,
        description: `Koreksi transaksi #${leg.seq}: ${body.reason}`,
        proof_number: leg.proof_number,
        source_type: 'reversal',
        source_id: leg.id,
        reverses_entry_id: leg.id,
        transfer_id: leg.transfer_id,
        recorded_by: actorId(tx),
      })),
    );
  });
}

export async function createTransfer(store: ScopedStore, body: TransferCreate) {
  return store.transaction(async (tx) => {
    await assertCashbookHome(tx);
    if (!body.confirm_below_zero) {
      await lockCashbook(tx);
      const from = await tx.live('cashbook_accounts').where('cashbook_accounts.id', body.from_account_id).first('id');
      if (!from) throw new NotFoundError('Akun kas');
      await assertStaysAboveZero(tx, body.from_account_id, body.entry_date, body.amount);
    }
    const transferId = newId();
    const common = {
      amount: body.amount,
      category: 'transfer',
      entry_date: body.entry_date,
      description: body.description ?? 'Pemindahan dana antar akun',
      proof_number: body.proof_number ?? null,
      source_type: 'transfer',
      source_id: transferId,
      transfer_id: transferId,
      recorded_by: actorId(tx),
    };
    const entries = await appendCashbookEntries(tx, [
      { ...common, account_id: body.from_account_id, direction: 'out' },
      { ...common, account_id: body.to_account_id, direction: 'in' },
    ]);
    return { transfer_id: transferId, amount: body.amount, entry_date: body.entry_date, entries };
  });
}

export async function verifyCashbook(store: ScopedStore) {
  return verifyCashbookChain(store.knex, store.estateId);
}

/** Each month's latest close or reopen, newest month first, with the name of who made it (for the office's list). */
export async function listPeriods(store: ScopedStore) {
  const states = [...(await periodStates(store)).values()];
  const actorIds = [...new Set(states.map((e) => e.actor_user_id).filter((id): id is string => Boolean(id)))];
  const users: { id: string; name: string }[] = actorIds.length
    ? await store.knex('users').whereIn('id', actorIds).select('id', 'name')
    : [];
  const names = new Map(users.map((u) => [u.id, u.name]));
  return {
    items: states
      .sort((a, b) => b.period.localeCompare(a.period))
      .map((e) => ({
        period: e.period,
        status: e.action === 'close' ? 'closed' : 'open',
        changed_at: e.created_at,
        changed_by_name: (e.actor_user_id && names.get(e.actor_user_id)) || null,
        reason: e.reason,
      })),
  };
}

export async function closePeriod(store: ScopedStore, period: string) {
  return store.transaction(async (tx) => {
    const today = estateToday(await tx.timezone());
    if (period > today.slice(0, 7))
      throw new UnprocessableError('PERIOD_IN_FUTURE', 'Bulan yang belum berjalan tidak dapat ditutup.', 'period');
    // Locked: of two closes at once the second sees the first, and no entry is being written into the month.
    await lockCashbook(tx);
    await assertCashbookHome(tx);
    const { latest, changes } = await periodChanges(tx, period);
    if (latest?.action === 'close') throw new ConflictError('MONTH_ALREADY_CLOSED', `Bulan ${period} sudah ditutup.`, 'period');
    const event = await tx.appendOnly(
      'cashbook_period_events',
      { period, action: 'close', reason: null, actor_user_id: actorId(tx), change_no: changes + 1 },
      'cashbook.close',
    );
    const accounts = await accountsWithBalances(tx, period);
    return { period, status: 'closed', closed_at: event.created_at, accounts };
  });
}

/** Reopening needs a reason; the event row and its audit row keep who reopened which month and why. */
export async function reopenPeriod(store: ScopedStore, period: string, reason: string) {
  return store.transaction(async (tx) => {
    await lockCashbook(tx);
    await assertCashbookHome(tx);
    const { latest, changes } = await periodChanges(tx, period);
    if (latest?.action !== 'close') throw new ConflictError('MONTH_NOT_CLOSED', `Bulan ${period} tidak sedang ditutup.`, 'period');
    const event = await tx.appendOnly(
      'cashbook_period_events',
      { period, action: 'reopen', reason, actor_user_id: actorId(tx), change_no: changes + 1 },
      'cashbook.reopen',
    );
    return { period, status: 'open', reopened_at: event.created_at, reason };
  });
}
