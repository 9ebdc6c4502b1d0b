import { z } from 'zod';

export const restoreIdParams = z.object({ id: z.string().max(64) }).strict();
export const restoreListedBody = z.object({ backup_id: z.string().min(1).max(64) }).strict();
export const restoreUploadBody = z.object({ passphrase: z.string().max(200).optional() }).strict();
export const restoreSwitchBody = z.object({ confirm: z.string().max(200) }).strict();

const figures = z.object({
  estate_id: z.string(),
  name: z.string(),
  units: z.number(),
  residents: z.number(),
  invoices: z.number(),
  payments: z.number(),
  cashbook_entries: z.number(),
  accounts: z.array(z.object({ account_id: z.string(), name: z.string(), balance: z.number() })),
  last_receipt_number: z.string().nullable(),
  newest_payment_at: z.string().nullable(),
});

export const stagedRestoreResponse = z.object({
  id: z.string(),
  staged_at: z.string(),
  source: z.union([
    z.object({ kind: z.literal('listed'), backup_id: z.string(), file_name: z.string() }),
    z.object({ kind: z.literal('upload'), file_name: z.string() }),
  ]),
  backup_at: z.string().nullable(),
  migrated: z.array(z.string()),
  confirm_name: z.string(),
  estates: z.array(z.object({ estate_id: z.string(), name: z.string(), backup: figures.nullable(), live: figures.nullable() })),
});
export type StagedRestoreAnswer = z.infer<typeof stagedRestoreResponse>;

export const restoreSwitchResponse = z.object({
  restored_from: z.object({
    backup_at: z.string().nullable(),
    restored_at: z.string(),
    source: z.string(),
    by_user_id: z.string().nullable(),
  }),
  previous: z.string().nullable(),
  /** False when the restored books do not hold this browser's session: the office signs in again. */
  session_kept: z.boolean(),
});
export type RestoreSwitchAnswer = z.infer<typeof restoreSwitchResponse>;
