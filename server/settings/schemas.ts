import { z } from 'zod';
import { optionalText, text } from '../http/schemas.ts';
import { printerConfigSchema } from '../devices/printer-config.ts';

/** What goes on every receipt besides the payment itself. */
export const receiptSettingsSchema = z
  .object({
    paper: z.enum(['A5', 'A6']).default('A5'),
    /** The address residents' phones reach (e.g. http://192.168.1.10:8080); QR codes on receipts point there. */
    public_base_url: z
      .string()
      .trim()
      .max(200)
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'Alamat harus diawali http:// atau https://')
      .transform((u) => u.replace(/\/+$/, ''))
      .nullable()
      .optional(),
    signer_title: optionalText(60),
    footer: optionalText(300),
  })
  .strict();

export type ReceiptSettings = z.infer<typeof receiptSettingsSchema>;

export const DEFAULT_RECEIPT_SETTINGS: ReceiptSettings = { paper: 'A5', public_base_url: null, signer_title: 'Bendahara', footer: null };

/**
 * Where residents transfer their dues. The account number is kept as digits only: residents copy it into a bank app,
 * which refuses spaces and dashes, and the office may type it as printed on the passbook (`123-456 7890`).
 */
export const bankAccountSchema = z
  .object({
    bank_name: text(60).refine((v) => v.length >= 2, 'Minimal 2 karakter.'),
    account_number: z
      .string()
      .max(40)
      .transform((v) => v.replace(/[\s.-]/g, ''))
      .pipe(z.string().regex(/^[0-9]{5,20}$/, 'Nomor rekening: 5 sampai 20 angka.')),
    account_holder: text(80).refine((v) => v.length >= 2, 'Minimal 2 karakter.'),
  })
  .strict();

export type BankAccount = z.infer<typeof bankAccountSchema>;

// Answers.
export const printerSettingsResponse = z.object({ printer: printerConfigSchema.nullable() });
export const printerTestResponse = z.object({ printed: z.literal(true), bytes: z.number().int() });
/** The receipt settings in force: what the estate saved over the defaults. */
export const receiptSettingsResponse = z.object({
  paper: z.enum(['A5', 'A6']),
  public_base_url: z.string().nullable().optional(),
  signer_title: z.string().nullable().optional(),
  footer: z.string().nullable().optional(),
});

export type PrinterSettings = z.infer<typeof printerSettingsResponse>;
export type ReceiptSettingsAnswer = z.infer<typeof receiptSettingsResponse>;

/** null until the office has saved the estate's account. */
export const bankAccountResponse = z.object({
  bank_account: z.object({ bank_name: z.string(), account_number: z.string(), account_holder: z.string() }).nullable(),
});
export type BankAccountAnswer = z.infer<typeof bankAccountResponse>;
