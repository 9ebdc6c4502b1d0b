import type { ScopedStore } from '../db/scoped-store.ts';
import { postCreditRefund, postPaymentReversal, postPaymentToCashbook } from '../cashbook/index.ts';
import { unitCodes } from './records.ts';

/** A money fact whose cash-book posting belongs to the home site: a payment, a payment's reversal, a credit refund. */
export interface MoneyFact {
  table: 'payments' | 'payment_reversals' | 'credit_refunds';
  id: string;
}

export const POSTED_FACT_TABLES: readonly string[] = ['payments', 'payment_reversals', 'credit_refunds'];

type Row = Record<string, unknown>;

/**
 * Posts to the cash book the money facts another site recorded, in the order given, when this site is the estate's
 * home (elsewhere the postings return null and nothing is written). Everything an entry holds comes from the facts
 * themselves, and each posting is keyed on its fact (`source_type`, `source_id`, unique per estate), so a fact that
 * arrives twice, in a replayed batch or a resent pull, is posted once. Returns how many entries were written.
 */
export async function postArrivedMoneyFacts(tx: ScopedStore, facts: readonly MoneyFact[]): Promise<number> {
  const ids = (table: MoneyFact['table']) => facts.filter((f) => f.table === table).map((f) => f.id);
  const payments = new Map<string, Row>();
  const reversals = new Map<string, Row>();
  const refunds = new Map<string, Row>();
  for (const [table, into] of [
    ['payments', payments],
    ['payment_reversals', reversals],
    ['credit_refunds', refunds],
  ] as const) {
    const wanted = ids(table);
    for (let i = 0; i < wanted.length; i += 500) {
      for (const row of (await tx.query(table).whereIn(`${table}.id`, wanted.slice(i, i + 500))) as Row[]) into.set(row.id as string, row);
    }
  }
  // A reversal names its payment, which may have arrived in an earlier batch.
  const reversed = [...reversals.values()].map((r) => r.payment_id as string).filter((id) => !payments.has(id));
  for (let i = 0; i < reversed.length; i += 500) {
    for (const row of (await tx.query('payments').whereIn('payments.id', reversed.slice(i, i + 500))) as Row[])
      payments.set(row.id as string, row);
  }
  const codes = await unitCodes(
    tx,
    [...payments.values(), ...refunds.values()].map((r) => r.unit_id as string),
  );
  // Postings already made for these facts, read at once. Each posting below first asks for its own and, when there is
  // none, takes the cash-book lock and asks whether this site is the home: on the hosted instance of a linked desktop
  // that was three statements per payment of a first upload for nothing written. The first answer holds for the rest
  // (the lock is kept to the end of the transaction), so past a "not the home" only the postings held are counted.
  const held = await heldPostings(tx, [
    ['payment', 'in', [...payments.keys()]],
    ['payment_reversal', 'out', [...payments.keys()]],
    ['credit_refund', 'out', [...refunds.keys()]],
  ]);
  let home: boolean | undefined;
  let posted = 0;
  const post = async (key: string, write: () => Promise<unknown>) => {
    if (held.has(key)) return void posted++;
    if (home === false) return;
    const entry = await write();
    home = entry !== null;
    if (entry) {
      held.add(key);
      posted++;
    }
  };
  for (const fact of facts) {
    if (fact.table === 'payments') {
      const p = payments.get(fact.id);
      if (!p) continue;
      await post(`payment:in:${p.id}`, () =>
        postPaymentToCashbook(
          tx,
          {
            payment_id: p.id as string,
            payment_number: p.number as string,
            unit_code: codes.get(p.unit_id as string) ?? '',
            amount: Number(p.amount),
            method: p.method as string,
            paid_at: p.paid_at as string,
            recorded_by: (p.recorded_by as string | null) ?? null,
          },
          // No entry of it was held a moment ago, in this transaction: the posting need not ask again.
          { arrived: true, newPayment: true },
        ),
      );
    } else if (fact.table === 'payment_reversals') {
      const r = reversals.get(fact.id);
      const p = r && payments.get(r.payment_id as string);
      // A payment that never reached the cash book has nothing to take back out.
      if (!r || !p || !held.has(`payment:in:${p.id}`)) continue;
      await post(`payment_reversal:out:${p.id}`, () =>
        postPaymentReversal(
          tx,
          {
            payment_id: p.id as string,
            payment_number: p.number as string,
            unit_code: codes.get(p.unit_id as string) ?? '',
            reversed_at: r.created_at as string,
            recorded_by: (r.created_by as string | null) ?? null,
            reason: (r.reason as string | null) ?? null,
          },
          { arrived: true },
        ),
      );
    } else {
      const f = refunds.get(fact.id);
      if (!f) continue;
      await post(`credit_refund:out:${f.id}`, () =>
        postCreditRefund(
          tx,
          {
            refund_id: f.id as string,
            unit_code: codes.get(f.unit_id as string) ?? '',
            amount: Number(f.amount),
            method: f.method as string,
            refunded_at: f.refunded_at as string,
            recorded_by: (f.created_by as string | null) ?? null,
            description: (f.reason as string | null) ?? null,
          },
          { arrived: true },
        ),
      );
    }
  }
  return posted;
}

/** `source_type:direction:source_id` of the cash-book entries that post the given sources. */
async function heldPostings(tx: ScopedStore, sources: Array<[string, 'in' | 'out', string[]]>): Promise<Set<string>> {
  const held = new Set<string>();
  for (const [sourceType, direction, ids] of sources) {
    for (let i = 0; i < ids.length; i += 500) {
      const rows = (await tx
        .query('cashbook_entries')
        .where({ 'cashbook_entries.source_type': sourceType, 'cashbook_entries.direction': direction })
        .whereIn('cashbook_entries.source_id', ids.slice(i, i + 500))
        .select('cashbook_entries.source_id')) as { source_id: string }[];
      for (const row of rows) held.add(`${sourceType}:${direction}:${row.source_id}`);
    }
  }
  return held;
}

/**
 * Every money fact of the estate that has no cash-book posting yet, oldest first: what a site that has just become
 * the home (the hosted instance after its desktop was unlinked) still has to post from the time it was not.
 */
export async function unpostedMoneyFacts(tx: ScopedStore): Promise<MoneyFact[]> {
  const without = async (table: MoneyFact['table'], sourceType: string, direction: 'in' | 'out', sourceColumn: string) =>
    (
      (await tx
        .query(table)
        .whereNotExists((q) =>
          q
            .select(tx.knex.raw('1'))
            .from('cashbook_entries')
            .whereRaw('cashbook_entries.estate_id = ??', [`${table}.estate_id`])
            .where('cashbook_entries.source_type', sourceType)
            .where('cashbook_entries.direction', direction)
            .whereRaw('cashbook_entries.source_id = ??', [`${table}.${sourceColumn}`]),
        )
        .orderBy([{ column: `${table}.created_at` }, { column: `${table}.id` }])
        .select(`${table}.id`)) as { id: string }[]
    ).map((r) => ({ table, id: r.id }));
  return [
    ...(await without('payments', 'payment', 'in', 'id')),
    ...(await without('payment_reversals', 'payment_reversal', 'out', 'payment_id')),
    ...(await without('credit_refunds', 'credit_refund', 'out', 'id')),
  ];
}
