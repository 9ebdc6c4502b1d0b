import { z } from 'zod';
import { id, isoDate, optionalText, paging, text } from '../http/schemas.ts';
import { CATEGORY_PATTERN, SYSTEM_CATEGORIES } from './categories.ts';

const amount = z
  .number({ error: 'Jumlah harus angka rupiah bulat.' })
  .int('Jumlah harus rupiah bulat.')
  .positive('Jumlah harus lebih dari 0.')
  .max(1e13, 'Jumlah terlalu besar.');
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Periode harus berformat YYYY-MM.');

export const accountCreateSchema = z
  .object({
    name: text(120),
    kind: z.enum(['cash', 'bank', 'ewallet']),
    institution: optionalText(120),
    account_number: optionalText(60),
    opening_balance: z.number().int().min(0).max(1e13).optional(),
    opening_date: isoDate.optional(),
  })
  .strict();

export const entryCreateSchema = z
  .object({
    account_id: id,
    direction: z.enum(['in', 'out']),
    amount,
    category: z
      .string()
      .regex(CATEGORY_PATTERN, 'Kategori: huruf kecil, angka dan garis bawah.')
      .refine((c) => !(SYSTEM_CATEGORIES as readonly string[]).includes(c), 'Kategori ini hanya dipakai sistem.'),
    entry_date: isoDate,
    description: text(500),
    proof_number: optionalText(80),
    /** The treasurer saw the warning that this takes the account below zero and goes ahead. */
    confirm_below_zero: z.boolean().optional(),
  })
  .strict();

export const categoryCreateSchema = z
  .object({
    name: text(80).refine((n) => /\p{L}|\p{N}/u.test(n), 'Nama kategori harus berisi huruf atau angka.'),
    direction: z.enum(['in', 'out']),
  })
  .strict();

export const categoryRenameSchema = z.object({ name: categoryCreateSchema.shape.name }).strict();
export const categoryParams = z.object({ estate_id: id, code: z.string().max(40) });

export const openingBalanceSchema = z.object({ amount, entry_date: isoDate, description: optionalText(500) }).strict();

export const entryListQuery = z.object({
  account_id: id.optional(),
  category: z.string().max(40).optional(),
  direction: z.enum(['in', 'out']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  ...paging,
});

export const entryReverseSchema = z.object({ reason: text(500), entry_date: isoDate.optional() }).strict();

export const transferCreateSchema = z
  .object({
    from_account_id: id,
    to_account_id: id,
    amount,
    entry_date: isoDate,
    description: optionalText(500),
    proof_number: optionalText(80),
    confirm_below_zero: z.boolean().optional(),
  })
  .strict()
  .refine((t) => t.from_account_id !== t.to_account_id, { message: 'Akun asal dan tujuan harus berbeda.', path: ['to_account_id'] });

export const closeSchema = z.object({ period }).strict();
export const reopenSchema = z.object({ period, reason: text(500) }).strict();
export const accountsQuery = z.object({ period: period.optional() });

// Answers. Money is an integer number of rupiah in every answer too.
const rupiahOut = z.number().int();

/** An account with its balance now, or with one month's opening, in, out and closing when a period was asked for. */
export const cashbookAccountResponse = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['cash', 'bank', 'ewallet']),
  institution: z.string().nullable(),
  account_number: z.string().nullable(),
  opening_balance: rupiahOut,
  period: z.string().optional(),
  period_opening: rupiahOut.optional(),
  period_in: rupiahOut.optional(),
  period_out: rupiahOut.optional(),
  period_closing: rupiahOut.optional(),
  balance: rupiahOut.optional(),
  created_at: z.string(),
});
export const cashbookAccountListResponse = z.object({ items: z.array(cashbookAccountResponse) });

/** One line of the hash-chained cash book (buku kas). */
export const cashbookEntryResponse = z.object({
  id: z.string(),
  estate_id: z.string(),
  seq: z.number().int(),
  account_id: z.string(),
  direction: z.enum(['in', 'out']),
  amount: rupiahOut,
  category: z.string(),
  entry_date: z.string(),
  description: z.string(),
  proof_number: z.string().nullable(),
  source_type: z.string(),
  source_id: z.string().nullable(),
  reverses_entry_id: z.string().nullable(),
  transfer_id: z.string().nullable(),
  recorded_by: z.string().nullable(),
  created_at: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});
export const cashbookEntryPageResponse = z.object({
  /** running_balance: the entry's account balance right after it, in book order (date, then seq). */
  items: z.array(cashbookEntryResponse.extend({ attachments: z.number().int(), running_balance: rupiahOut })),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export const cashbookEntriesResponse = z.object({ entries: z.array(cashbookEntryResponse) });
export const cashbookTransferResponse = z.object({
  transfer_id: z.string(),
  amount: rupiahOut,
  entry_date: z.string(),
  entries: z.array(cashbookEntryResponse),
});

export const cashbookAttachmentResponse = z.object({
  id: z.string(),
  estate_id: z.string().optional(),
  entry_id: z.string(),
  filename: z.string(),
  content_type: z.string(),
  size_bytes: z.number().int(),
  sha256: z.string(),
  uploaded_by: z.string().nullable(),
  created_at: z.string(),
});
export const cashbookAttachmentListResponse = z.object({ items: z.array(cashbookAttachmentResponse) });

export const cashbookVerifyResponse = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  head_hash: z.string(),
  first_broken: z
    .object({ seq: z.number().int(), entry_id: z.string(), reason: z.string(), expected_seq: z.number().int().optional() })
    .nullable(),
});

export const cashbookPeriodListResponse = z.object({
  items: z.array(
    z.object({
      period: z.string(),
      status: z.enum(['open', 'closed']),
      changed_at: z.string(),
      /** Who closed or reopened it last; null when that account is gone or the change came without one. */
      changed_by_name: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
});
export const cashbookCloseResponse = z.object({
  period: z.string(),
  status: z.literal('closed'),
  closed_at: z.string(),
  accounts: z.array(cashbookAccountResponse),
});
export const cashbookReopenResponse = z.object({
  period: z.string(),
  status: z.literal('open'),
  reopened_at: z.string(),
  reason: z.string(),
});

export const cashbookCategoryResponse = z.object({
  code: z.string(),
  direction: z.enum(['in', 'out']),
  name: z.string(),
  name_en: z.string().nullable(),
  built_in: z.boolean(),
  retired: z.boolean(),
});
export const cashbookCategoryListResponse = z.object({ items: z.array(cashbookCategoryResponse) });

export type CashbookCategory = z.infer<typeof cashbookCategoryResponse>;
export type CashbookAccount = z.infer<typeof cashbookAccountResponse>;
export type CashbookEntry = z.infer<typeof cashbookEntryResponse>;
export type CashbookAttachment = z.infer<typeof cashbookAttachmentResponse>;
export type CashbookVerification = z.infer<typeof cashbookVerifyResponse>;
export type CashbookPeriod = z.infer<typeof cashbookPeriodListResponse>['items'][number];
