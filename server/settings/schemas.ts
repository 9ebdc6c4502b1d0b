import { z } from 'zod';
import { optionalText } from '../http/schemas.ts';

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
