import { z } from 'zod';
import { id, optionalText, paging, text } from '../http/schemas.ts';
import { positiveAmount } from './billing-schemas.ts';

export const PAYMENT_METHODS = ['cash', 'bank_transfer', 'qris', 'ewallet', 'other'] as const;

const paidAt = z.string().trim().min(10).max(40);

export const paymentBody = z
  .object({
    unit_id: id,
    amount: positiveAmount,
    method: z.enum(PAYMENT_METHODS),
    paid_at: paidAt,
    reference: optionalText(100),
    notes: optionalText(500),
    invoice_ids: z.array(id).max(240).optional(),
    payer_resident_id: id.optional(),
    payer_name: optionalText(200),
  })
  .strict();

export const paymentListQuery = z.object({ unit_id: id.optional(), ...paging });

export const reverseBody = z.object({ reason: text(500) }).strict();

export const refundBody = z
  .object({
    amount: positiveAmount,
    method: z.enum(PAYMENT_METHODS),
    reason: optionalText(500),
  })
  .strict();

/** Multipart text fields of a resident's transfer proof (numbers arrive as strings). */
export const submissionFields = z
  .object({
    amount: z
      .string()
      .regex(/^\d{1,13}$/, 'Jumlah harus bilangan bulat rupiah.')
      .transform(Number)
      .pipe(positiveAmount),
    method: z.enum(['bank_transfer', 'qris', 'ewallet', 'other']).default('bank_transfer'),
    paid_at: paidAt,
    reference: optionalText(100),
    note: optionalText(500),
    unit_id: id.optional(),
    invoice_ids: z
      .string()
      .max(10_000)
      .optional()
      .transform((s, ctx) => {
        if (!s) return undefined;
        const ids = s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        if (!ids.every((x) => id.safeParse(x).success)) {
          ctx.addIssue({ code: 'custom', message: 'Id tagihan tidak sah.' });
          return z.NEVER;
        }
        return ids;
      }),
  })
  .strict();

/** What the treasurer saw arrive in the bank, when it differs from the resident's claim; empty accepts the claim. */
export const verifyBody = z
  .object({
    amount: positiveAmount.optional(),
    paid_at: paidAt.optional(),
  })
  .strict();

export const submissionListQuery = z.object({ status: z.enum(['pending', 'verified', 'rejected']).optional(), ...paging });

export const portalQuery = z.object({ unit_id: id.optional(), ...paging });

// Answers. Money is an integer number of rupiah in every answer too.
const rupiahOut = z.number().int();

export const proofResponse = z.object({ id: z.string(), filename: z.string(), mime: z.string(), size: z.number().int() });

/** A payment with what it paid (per invoice), what it left as credit, its reversal and its proof. */
export const paymentResponse = z.object({
  id: z.string(),
  payment_number: z.string(),
  unit_id: z.string(),
  unit_code: z.string().nullable(),
  amount: rupiahOut,
  method: z.enum(PAYMENT_METHODS),
  paid_at: z.string(),
  reference: z.string().nullable(),
  notes: z.string().nullable(),
  source: z.enum(['office', 'portal']),
  recorded_by: z.string().nullable(),
  payer_name: z.string().nullable(),
  payer_resident_id: z.string().nullable(),
  created_at: z.string(),
  status: z.enum(['recorded', 'reversed']),
  reversal: z.object({ reason: z.string(), reversed_at: z.string(), reversed_by: z.string().nullable() }).nullable(),
  allocations: z.array(z.object({ invoice_id: z.string(), invoice_number: z.string(), period: z.string(), amount: rupiahOut })),
  credit: rupiahOut,
  proof: proofResponse.nullable(),
});
export const paymentPageResponse = z.object({
  items: z.array(paymentResponse),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const unitBalanceResponse = z.object({ unit_id: z.string(), outstanding: rupiahOut, credit: rupiahOut });

export const creditRefundResponse = z.object({
  refund: z.object({
    id: z.string(),
    unit_id: z.string(),
    amount: rupiahOut,
    method: z.enum(PAYMENT_METHODS),
    reason: z.string().nullable(),
    refunded_at: z.string(),
  }),
  balance: unitBalanceResponse,
});

/** A resident's transfer proof (bukti transfer) and where its review stands. */
export const transferProofResponse = z.object({
  id: z.string(),
  unit_id: z.string(),
  unit_code: z.string().nullable(),
  resident_id: z.string().nullable(),
  resident_name: z.string().nullable(),
  amount: rupiahOut,
  method: z.enum(PAYMENT_METHODS),
  paid_at: z.string(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  invoice_ids: z.array(z.string()).nullable(),
  status: z.enum(['pending', 'verified', 'rejected']),
  review_reason: z.string().nullable(),
  reviewed_at: z.string().nullable(),
  reviewed_by_name: z.string().nullable(),
  payment_id: z.string().nullable(),
  proof: proofResponse.nullable(),
  created_at: z.string(),
});
export const transferProofListResponse = z.object({
  items: z.array(transferProofResponse),
  total: z.number().int(),
  pending_count: z.number().int(),
});

/** A verified proof and the payment it became (its proof travels with it, without the id of the copy). */
export const transferProofVerifiedResponse = z.object({
  submission: transferProofResponse,
  payment: paymentResponse.extend({ proof: proofResponse.omit({ id: true }).nullable() }),
});

export type Payment = z.infer<typeof paymentResponse>;
export type UnitBalance = z.infer<typeof unitBalanceResponse>;
export type CreditRefund = z.infer<typeof creditRefundResponse>;
export type TransferProof = z.infer<typeof transferProofResponse>;
export type PaymentProof = z.infer<typeof proofResponse>;
