import { z } from 'zod';

/** A receipt (kuitansi) as data: what the PDF and the thermal slip show, and how often it was printed. */
export const receiptResponse = z.object({
  estate: z.object({ name: z.string(), address: z.string().nullable(), rt: z.string().nullable(), rw: z.string().nullable() }),
  receipt_number: z.string(),
  payment_number: z.string(),
  unit_code: z.string(),
  payer_name: z.string().nullable(),
  items: z.array(z.object({ description: z.string(), amount: z.number().int() })),
  amount: z.number().int(),
  amount_words: z.string(),
  method: z.string(),
  reference: z.string().nullable(),
  paid_at: z.string(),
  timezone: z.string(),
  received_by: z.string().nullable(),
  status: z.enum(['valid', 'reversed']),
  verify_url: z.string(),
  /** Counted prints so far: 0 before the original. */
  prints: z.number().int(),
});

/** A thermal print: the first is the original, every later one a copy. */
export const receiptSlipPrintedResponse = z.object({
  printed: z.literal(true),
  receipt_number: z.string(),
  print_number: z.number().int(),
  copy: z.boolean(),
  bytes: z.number().int(),
});

/** What a receipt's QR opens, as JSON: the facts printed on it and whether the ledger still stands behind it. */
export const publicReceiptResponse = z.object({
  valid: z.boolean(),
  status: z.enum(['valid', 'reversed']),
  estate_name: z.string(),
  receipt_number: z.string(),
  payment_number: z.string(),
  unit_code: z.string(),
  payer_name: z.string().nullable(),
  paid_at: z.string(),
  paid_at_local: z.string(),
  method: z.string(),
  amount: z.number().int(),
  amount_formatted: z.string(),
  amount_words: z.string(),
  items: z.array(z.object({ description: z.string(), amount: z.number().int() })),
  received_by: z.string().nullable(),
});

export type Receipt = z.infer<typeof receiptResponse>;
export type ReceiptSlipPrinted = z.infer<typeof receiptSlipPrintedResponse>;
