import { z } from 'zod';
import { period } from './billing-schemas.ts';

/** A unit's account card (statement): a range of months, both ends optional and inclusive. */
export const accountCardQuery = z.object({ from: period.optional(), to: period.optional() }).strict();

const rupiahOut = z.number().int();

export const STATEMENT_KINDS = ['invoice', 'credit_note', 'void', 'payment', 'reversal', 'refund'] as const;

export const statementLineResponse = z.object({
  kind: z.enum(STATEMENT_KINDS),
  date: z.string(),
  /** Signed: + raises what the unit owes, − lowers it. */
  amount: rupiahOut,
  /** What the unit owes after this line; below zero is credit. */
  balance: rupiahOut,
  recorded_at: z.string(),
  id: z.string(),
  invoice_id: z.string().nullable(),
  payment_id: z.string().nullable(),
  number: z.string().nullable(),
  receipt_number: z.string().nullable(),
  period: z.string().nullable(),
  note: z.string().nullable(),
  overdue: z.boolean(),
});

export const accountCardResponse = z.object({
  estate: z.object({ name: z.string() }),
  unit: z.object({ id: z.string(), code: z.string(), deleted: z.boolean() }),
  residents: z.array(z.object({ name: z.string(), relation: z.string() })),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** The estate's today, against which `overdue` was decided. */
  today: z.string(),
  generated_at: z.string(),
  /** Now, whatever the range: what the unit's invoices still owe, its credit, and what of it is past due. */
  outstanding: rupiahOut,
  credit: rupiahOut,
  overdue: rupiahOut,
  opening_balance: rupiahOut,
  closing_balance: rupiahOut,
  total_debit: rupiahOut,
  total_credit: rupiahOut,
  lines: z.array(statementLineResponse),
});

export type AccountCard = z.infer<typeof accountCardResponse>;
export type StatementLine = z.infer<typeof statementLineResponse>;
