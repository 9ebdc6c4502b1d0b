import { z } from 'zod';
import { id, isoDate, paging, booleanish, text } from '../http/schemas.ts';
import { UNIT_TYPES } from './fee-amount.ts';
import { isPeriod } from '../calendar/calendar.ts';

/** Money on the wire: a whole number of rupiah (no strings, no fractions), capped well below the safe range. */
export const amount = z
  .number({ error: 'Jumlah harus angka.' })
  .int('Jumlah harus bilangan bulat rupiah.')
  .max(1_000_000_000_000, 'Jumlah terlalu besar.');
export const positiveAmount = amount.positive('Jumlah harus lebih dari 0.');

export const period = z.string().refine(isPeriod, 'Periode harus berformat YYYY-MM.');

const unitType = z.enum(UNIT_TYPES);
const vacantRule = z.union([
  z.enum(['charge', 'exempt']),
  z.object({ mode: z.enum(['charge', 'exempt']) }).strict(),
  z
    .object({
      mode: z.literal('discount'),
      percent: z
        .number()
        .gt(0)
        .max(100)
        .refine((n) => Number.isInteger(n * 100), 'Maksimal dua angka desimal.'),
    })
    .strict(),
]);
const unitTypes = z.union([
  z.array(unitType).min(1).max(UNIT_TYPES.length),
  z.partialRecord(unitType, amount.min(0)).refine((m) => Object.keys(m).length > 0, 'Minimal satu jenis unit.'),
]);
const effectiveFrom = z.union([period, isoDate]);

export const feeTypeCreateBody = z
  .object({
    code: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9_-]+$/, 'Kode hanya huruf, angka, - dan _.'),
    name: text(120),
    amount: amount.min(0),
    basis: z.enum(['flat', 'per_m2']),
    unit_types: unitTypes.nullable().optional(),
    vacant_rule: vacantRule.optional(),
    effective_from: effectiveFrom.optional(),
  })
  .strict();

export const feeTypePatchBody = feeTypeCreateBody
  .partial()
  /** The first month no longer billed (switched off), or null to bill it again. */
  .extend({ inactive_from: period.nullable().optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'Tidak ada perubahan.');

export const billingRunBody = z
  .object({
    period,
    due_date: isoDate.optional(),
    dry_run: z.boolean().optional(),
    /** Answer 202 at once and bill in the background; poll GET billing-runs/:id for progress. */
    background: z.boolean().optional(),
  })
  .strict();

export const billingRunQuery = z.object({ period: period.optional(), ...paging });

export const chargeBody = z
  .object({
    name: text(120),
    amount: positiveAmount,
    period,
    due_date: isoDate,
    unit_ids: z.array(id).max(100_000).optional(),
  })
  .strict();

export const invoiceListQuery = z.object({
  unit_id: id.optional(),
  period: period.optional(),
  status: z.enum(['unpaid', 'partial', 'paid', 'void']).optional(),
  /** A unit code in any spelling or a resident's name. */
  q: z.string().max(100, 'Maksimal 100 karakter.').optional(),
  overdue: booleanish.optional(),
  ...paging,
});

export const reasonBody = z.object({ reason: text(500) }).strict();

export const creditNoteBody = z.object({ amount: positiveAmount, reason: text(500) }).strict();

export { booleanish };

// Answers. Money is an integer number of rupiah in every answer too.
const rupiahOut = z.number().int();

export const feeRateResponse = z.object({
  id: z.string(),
  effective_from: z.string(),
  amount: rupiahOut,
  amounts_by_type: z.record(z.string(), rupiahOut).nullable(),
  created_at: z.string(),
});

/** A fee type with the rate in force this period (null fields when it has no rate yet) and its rate history. */
export const feeTypeResponse = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  basis: z.enum(['flat', 'per_m2']),
  unit_types: z.array(z.string()).nullable(),
  vacant_rule: z.union([z.object({ mode: z.enum(['charge', 'exempt']) }), z.object({ mode: z.literal('discount'), percent: z.number() })]),
  /** Switched off: the first month no longer billed; null = billed. */
  inactive_from: z.string().nullable(),
  amount: rupiahOut.nullable(),
  amounts_by_type: z.record(z.string(), rupiahOut).nullable(),
  effective_from: z.string().nullable(),
  rates: z.array(feeRateResponse),
  created_at: z.string(),
  updated_at: z.string(),
});
export const feeTypeListResponse = z.object({ items: z.array(feeTypeResponse) });

/** A committed billing run. */
export const billingRunResponse = z.object({
  id: z.string(),
  period: z.string(),
  due_date: z.string(),
  trigger: z.string(),
  status: z.string(),
  total_units: z.number().int(),
  invoices_created: z.number().int(),
  invoices_existing: z.number().int(),
  units_not_billed: z.number().int(),
  lines_created: z.number().int(),
  total_amount: rupiahOut,
  credit_applied: rupiahOut,
  started_at: z.string(),
  finished_at: z.string(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  processed_units: z.number().int(),
});
export const billingRunListResponse = z.object({ items: z.array(billingRunResponse) });

/** A run still going (in this process, or queued/running elsewhere), or one whose job failed for good. */
export const billingRunProgressResponse = z.object({
  id: z.string(),
  estate_id: z.string().optional(),
  period: z.string().optional(),
  status: z.enum(['running', 'failed']),
  processed_units: z.number().int().optional(),
  total_units: z.number().int().optional(),
  started_at: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export const billingRunStateResponse = z.union([billingRunResponse, billingRunProgressResponse]);

/** What a run would bill (or billed), per fee type. */
const billingRunByFee = z.object({
  fee_type_id: z.string(),
  code: z.string(),
  name: z.string(),
  lines: z.number().int(),
  amount: rupiahOut,
});
const billingRunSummary = {
  period: z.string(),
  due_date: z.string(),
  total_units: z.number().int(),
  invoices_created: z.number().int(),
  invoices_existing: z.number().int(),
  units_not_billed: z.number().int(),
  lines_created: z.number().int(),
  total_amount: rupiahOut,
  late_fee_amount: rupiahOut,
  by_fee: z.array(billingRunByFee),
};
/** POST billing-runs with dry_run: what the run would do, nothing written. */
export const billingRunPreviewResponse = z.object({
  dry_run: z.literal(true),
  ...billingRunSummary,
  units_with_credit: z.number().int(),
});
/** POST billing-runs: the committed run (201), its preview (200) or, in the background, its first progress (202). */
export const billingRunStartResponse = z.union([
  billingRunPreviewResponse,
  z.object({
    dry_run: z.literal(false),
    ...billingRunSummary,
    id: z.string(),
    trigger: z.string(),
    status: z.string(),
    credit_applied: rupiahOut,
    started_at: z.string(),
    finished_at: z.string(),
    created_by: z.string().nullable(),
  }),
  z.object({
    id: z.string(),
    status: z.literal('running'),
    period: z.string(),
    processed_units: z.number().int(),
    total_units: z.number().int(),
  }),
]);

export const chargeResponse = z.object({
  id: z.string(),
  name: z.string(),
  amount: rupiahOut,
  period: z.string(),
  due_date: z.string(),
  unit_count: z.number().int(),
  total_amount: rupiahOut,
  credit_applied: rupiahOut,
  invoice_ids: z.array(z.string()),
});

export const INVOICE_STATUSES = ['unpaid', 'partial', 'paid', 'void'] as const;

/** An invoice with its sums and the derived outstanding and status (one rule: invoice-balance.ts). */
export const invoiceBalanceResponse = z.object({
  id: z.string(),
  unit_id: z.string(),
  number: z.string(),
  period: z.string(),
  kind: z.enum(['dues', 'charge', 'late_fee']),
  issue_date: z.string(),
  due_date: z.string(),
  total: rupiahOut,
  paid: rupiahOut,
  credited: rupiahOut,
  outstanding: rupiahOut,
  status: z.enum(INVOICE_STATUSES),
  void_reason: z.string().nullable(),
  voided_at: z.string().nullable(),
  billing_run_id: z.string().nullable(),
  charge_id: z.string().nullable(),
  created_at: z.string(),
});
export const invoiceListItemResponse = invoiceBalanceResponse.extend({
  unit_code: z.string().nullable(),
  /** Still owes something after its due date, by the estate's today. */
  overdue: z.boolean(),
});
export const invoicePageResponse = z.object({
  items: z.array(invoiceListItemResponse),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const invoiceDetailResponse = invoiceListItemResponse.extend({
  lines: z.array(
    z.object({
      id: z.string(),
      fee_type_id: z.string().nullable(),
      source_invoice_id: z.string().nullable(),
      description: z.string(),
      /** Units of the fee (m², or 1): a decimal kept as text so no float touches money. */
      quantity: z.string(),
      unit_amount: rupiahOut,
      amount: rupiahOut,
    }),
  ),
  allocations: z.array(
    z.object({
      id: z.string(),
      /** Null when the invoice was paid from the unit's credit. */
      payment_id: z.string().nullable(),
      payment_number: z.string().nullable(),
      /** The receipt (kuitansi) of the payment, once one was issued. */
      receipt_number: z.string().nullable(),
      amount: rupiahOut,
      reason: z.string(),
      created_at: z.string(),
    }),
  ),
  adjustments: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['void', 'credit_note']),
      amount: rupiahOut,
      reason: z.string(),
      created_by: z.string().nullable(),
      created_at: z.string(),
    }),
  ),
});

export type FeeType = z.infer<typeof feeTypeResponse>;
export type BillingRun = z.infer<typeof billingRunResponse>;
export type BillingRunState = z.infer<typeof billingRunStateResponse>;
export type Charge = z.infer<typeof chargeResponse>;
export type InvoiceBalance = z.infer<typeof invoiceBalanceResponse>;
export type InvoiceListItem = z.infer<typeof invoiceListItemResponse>;
export type InvoiceDetail = z.infer<typeof invoiceDetailResponse>;
