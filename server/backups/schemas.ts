import { z } from 'zod';
import { s3SettingsBody, s3SettingsView } from './s3-settings.ts';
import { backupSettingsSchema } from './service.ts';

export const backupSettingsBody = backupSettingsSchema
  .extend({
    /** Write-only: a new passphrase, null to forget it, absent to keep the stored one. */
    passphrase: z.string().max(200).nullable().optional(),
    /** The S3-compatible bucket: absent keeps the stored one, null forgets it. */
    s3: s3SettingsBody.nullable().optional(),
  })
  .strict();

const settingsResponse = backupSettingsSchema.extend({ has_passphrase: z.boolean(), s3: s3SettingsView.nullable() });

const backupRow = z.object({
  id: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  status: z.enum(['running', 'ok', 'failed']),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  file_name: z.string().nullable(),
  bytes: z.number().nullable(),
  checks: z
    .object({
      integrity: z.literal('ok'),
      cashbooks: z.array(
        z.object({ estate_id: z.string(), name: z.string(), ok: z.boolean(), checked: z.number(), first_broken: z.unknown() }),
      ),
    })
    .nullable(),
  copies: z.array(z.object({ folder: z.string(), file: z.string().nullable(), ok: z.boolean(), error: z.string().nullable() })),
  error: z.string().nullable(),
  pruned: z.boolean(),
  /** The upload to the S3-compatible bucket, when one is set up. */
  remote: z
    .object({
      status: z.enum(['pending', 'retrying', 'ok', 'failed', 'skipped']),
      bucket: z.string(),
      key: z.string(),
      bytes: z.number().nullable(),
      attempts: z.number(),
      error: z.string().nullable(),
      uploaded_at: z.string().nullable(),
      pruned: z.boolean(),
    })
    .nullable(),
});

export const backupStatusResponse = z.object({
  state: z.enum(['ok', 'pending', 'failed', 'missing', 'unavailable']),
  last_ok_at: z.string().nullable(),
  /** The office restored the books from this backup (shown for two weeks after). */
  restored_from: z
    .object({ backup_at: z.string().nullable(), restored_at: z.string(), source: z.string(), by_user_id: z.string().nullable() })
    .nullable(),
});

export const backupsResponse = z.object({
  available: z.boolean(),
  folder: z.string().nullable(),
  settings: settingsResponse,
  status: backupStatusResponse,
  backups: z.array(backupRow),
});
export type BackupsAnswer = z.infer<typeof backupsResponse>;

export const backupSettingsResponse = settingsResponse;
export const backupStartedResponse = z.object({ job_id: z.string(), enqueued: z.boolean() });
export const s3TestResponse = z.object({ ok: z.literal(true), bucket: z.string(), key: z.string() });
/** How many failed uploads went back in the queue (0 when none failed, or a click before was quicker). */
export const uploadAgainResponse = z.object({ queued: z.number().int() });
