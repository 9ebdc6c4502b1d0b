import { z } from 'zod';
import { id, text, timeZone } from '../http/schemas.ts';
import { BATCH_SIZE } from './merge-policy.ts';
import { MAX_PULL_WAIT_MS } from './pull-wait.ts';
import { syncChangeSchema } from './sync-change.ts';

const schemaVersion = z.string().max(100);
const siteId = z.string().min(1).max(64);

export const linkCodeResponse = z.object({ code: z.string(), expires_at: z.string() });

export const pairBody = z.object({
  code: text(40),
  site_id: siteId,
  schema_version: schemaVersion,
  /** Every site code the desktop's database holds for the estate, retired ones too: the hosted instance takes another. */
  site_codes: z.array(z.string().max(8)).max(1000).default([]),
  estate: z.object({
    id,
    name: text(200),
    address: z.string().max(500).nullable().optional(),
    timezone: timeZone,
    rt: z.string().max(10).nullable().optional(),
    rw: z.string().max(10).nullable().optional(),
  }),
});
export const pairResponse = z.object({ estate_id: z.string(), token: z.string(), credential_id: z.string() });

export const handshakeBody = z.object({ site_id: siteId, schema_version: schemaVersion, clock: z.string().max(40) });
export const handshakeResponse = z.object({ schema_version: z.string(), time: z.string() });

export const pushBody = z.object({
  batch_id: z.string().regex(/^[\w-]{1,64}$/),
  changes: z.array(syncChangeSchema).max(BATCH_SIZE),
});
export const pushResponse = z.object({
  applied: z.number().int(),
  unchanged: z.number().int(),
  conflicts: z.number().int(),
  /** Cash-book entries the receiving site posted for the money facts of the batch (only on the estate's home site). */
  posted: z.number().int().optional(),
  replayed: z.boolean(),
});

export const pullBody = z.object({
  cursor: z.string().max(50),
  /** Wait up to this long for changes when there are none yet (long poll); 0 or absent answers at once. */
  wait_ms: z.number().int().min(0).max(MAX_PULL_WAIT_MS).optional(),
});
export const pullResponse = z.object({ changes: z.array(syncChangeSchema), cursor: z.string(), more: z.boolean() });

export const credentialListResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      site_id: z.string(),
      schema_version: z.string().nullable(),
      created_at: z.string(),
      revoked_at: z.string().nullable(),
    }),
  ),
});

export const linkBody = z.object({ cloud_url: text(500), code: text(40) });

const syncError = z.object({ code: z.string(), message: z.string() }).nullable();

export const syncStatusResponse = z.object({
  linked: z.boolean(),
  cloud_url: z.string().nullable(),
  last_sync_at: z.string().nullable(),
  waiting: z.number().int(),
  last_error: syncError,
  clock_skew_ms: z.number().nullable(),
  clock_warning: z.string().nullable(),
  /** The clocks differ by more than a received change may move a clock (a week, hlc.ts): ordering is at risk. */
  clock_far_off: z.boolean(),
  digest_alert: z.object({ tables: z.array(z.string()), checked_at: z.string().nullable(), message: z.string() }).nullable(),
  /** While a cycle uploads: outbox rows sent of those waiting when it started (a large first upload); null otherwise. */
  progress: z.object({ sent: z.number().int(), total: z.number().int() }).nullable(),
  /** Account changes the hosted instance refused because the account works in another estate there, set aside. */
  set_aside: z.array(
    z.object({
      id: z.string(),
      user_id: z.string(),
      name: z.string().nullable(),
      created_at: z.string(),
      code: z.string(),
      message: z.string(),
    }),
  ),
});

/** One set-aside account change of the estate (`sync_set_aside`), marked handled by the office. */
export const setAsideParams = z.object({ estate_id: id, set_aside_id: z.string().max(64) });

export const syncRunResponse = z.object({
  ok: z.boolean(),
  pushed: z.number().int(),
  pulled: z.number().int(),
  conflicts: z.number().int(),
  waiting: z.number().int(),
  clock_skew_ms: z.number().nullable(),
  error: syncError,
});
