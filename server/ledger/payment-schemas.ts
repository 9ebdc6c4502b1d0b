import { z } from 'zod';
import { id, optionalText, paging, text } from '../http/schemas.ts';
import { positiveAmount } from './billing-schemas.ts';
import { PAYMENT_METHODS } from './payment-service.ts';

const paidAt = z.string().trim().min(10).max(40);

export const paymentBody = z.object({
  unit_id: id,
  amount: positiveAmount,
  method: z.enum(PAYMENT_METHODS),
  paid_at: paidAt,
  reference: optionalText(100),
  notes: optionalText(500),
  invoice_ids: z.array(id).max(240).optional(),
  payer_resident_id: id.optional(),
  payer_name: optionalText(200),
}).strict();

export const paymentListQuery = z.object({ unit_id: id.optional(), ...paging });

export const reverseBody = z.object({ reason: text(500) }).strict();

export const refundBody = z.object({
  amount: positiveAmount,
  method: z.enum(PAYMENT_METHODS),
  reason: optionalText(500),
}).strict();

/** Multipart text fields of a resident's transfer proof (numbers arrive as strings). */
export const submissionFields = z.object({
  amount: z.string().regex(/^\d{1,13}$/, 'Jumlah harus bilangan bulat rupiah.').transform(Number).pipe(positiveAmount),
  method: z.enum(['bank_transfer', 'qris', 'ewallet', 'other']).default('bank_transfer'),
  paid_at: paidAt,
  reference: optionalText(100),
  note: optionalText(500),
  unit_id: id.optional(),
  invoice_ids: z.string().max(10_000).optional().transform((s, ctx) => {
    if (!s) return undefined;
    const ids = s.split(',').map((x) => x.trim()).filter(Boolean);
    if (!ids.every((x) => id.safeParse(x).success)) {
      ctx.addIssue({ code: 'custom', message: 'Id tagihan tidak sah.' });
      return z.NEVER;
    }
    return ids;
  }),
}).strict();

export const submissionListQuery = z.object({ status: z.enum(['pending', 'verified', 'rejected']).optional(), ...paging });

export const portalQuery = z.object({ unit_id: id.optional(), ...paging });
