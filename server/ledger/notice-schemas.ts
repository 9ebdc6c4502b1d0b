import { z } from 'zod';

/**
 * Kinds of reconciliation notice. `overpayment`: a payment's money went to credit because its invoice was already paid.
 * `amount_mismatch`: a gateway paid another amount than its charge asked (details: expected, paid, credit); the
 * payment holds what was paid.
 */
export const NOTICE_KINDS = ['overpayment', 'amount_mismatch'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const noticeListQuery = z
  .object({
    open: z.enum(['0', '1']).optional(),
  })
  .strict();

export const noticeParams = z.object({ estate_id: z.string().uuid('Id tidak sah.'), notice_id: z.string().max(64) });

export const noticeResponse = z.object({
  id: z.string(),
  kind: z.enum(NOTICE_KINDS),
  unit_id: z.string(),
  unit_code: z.string().nullable(),
  invoice_id: z.string().nullable(),
  invoice_number: z.string().nullable(),
  payment_id: z.string().nullable(),
  payment_number: z.string().nullable(),
  amount: z.number().int().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.string().nullable(),
});
export type NoticeAnswer = z.infer<typeof noticeResponse>;

export const noticeListResponse = z.object({ items: z.array(noticeResponse) });
