import type { ScopedStore } from '../db/scoped-store.ts';
import { BUILT_IN_ACCOUNT_NAMES, type AccountKind } from './categories.ts';
import { queryTemplate } from '../db/query-template.ts';
import { lockCashbook } from './append-entry.ts';

export interface CashbookAccountRow {
  id: string;
  estate_id: string;
  name: string;
  kind: AccountKind;
  institution: string | null;
  account_number: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/**
 * The account money of a kind lands in when nobody chose one: the oldest live account of that kind, created on
 * first use so a new estate can record its first payment before setting up its cash book.
 */
const defaultAccountQuery = queryTemplate<'estateId' | 'kind'>((knex, p) =>
  knex('cashbook_accounts')
    .where({ estate_id: p.estateId, kind: p.kind })
    .whereNull('deleted_at')
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .first(),
);

/** The kind's default account if the estate has one; read without the cash-book lock, nothing is created. */
export async function existingDefaultAccount(tx: ScopedStore, kind: AccountKind): Promise<CashbookAccountRow | undefined> {
  const [existing] = await tx.select<CashbookAccountRow>(defaultAccountQuery, { kind });
  return existing;
}

export async function defaultAccountFor(tx: ScopedStore, kind: AccountKind): Promise<CashbookAccountRow> {
  const existing = await existingDefaultAccount(tx, kind);
  if (existing) return existing;
  return tx.insert<CashbookAccountRow & Record<string, unknown>>(
    'cashbook_accounts',
    { name: BUILT_IN_ACCOUNT_NAMES[kind], kind, institution: null, account_number: null, deleted_at: null },
    'cashbook_accounts.create',
  );
}

/**
 * The live account of `kind` called `name`, made on first use (a payment gateway's balance, "Saldo Xendit"). The
 * kind's default account is made first when missing, so a named account never becomes the oldest of its kind and
 * takes over the money that has no account of its own.
 */
export async function namedAccountFor(tx: ScopedStore, kind: AccountKind, name: string): Promise<CashbookAccountRow> {
  await lockCashbook(tx);
  const existing = (await tx
    .live('cashbook_accounts')
    .where({ kind, name })
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .first()) as CashbookAccountRow | undefined;
  if (existing) return existing;
  await defaultAccountFor(tx, kind);
  return tx.insert<CashbookAccountRow & Record<string, unknown>>(
    'cashbook_accounts',
    { name, kind, institution: null, account_number: null, deleted_at: null },
    'cashbook_accounts.create',
  );
}

export async function listAccounts(tx: ScopedStore): Promise<CashbookAccountRow[]> {
  return (await tx.live('cashbook_accounts').orderBy([{ column: 'created_at' }, { column: 'id' }])) as CashbookAccountRow[];
}
