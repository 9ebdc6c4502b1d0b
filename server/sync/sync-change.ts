import { z } from 'zod';

const HLC = /^\d{15}-\d{5}-[\w-]{1,64}$/;

/** One change as it travels between sites: the row as it is now, with the clock value and site of its change. */
export const syncChangeSchema = z.object({
  table: z.string().regex(/^[a-z_]{1,64}$/),
  row_id: z.string().min(1).max(64),
  op: z.enum(['insert', 'update', 'delete']),
  hlc: z.string().regex(HLC),
  site_id: z.string().min(1).max(64),
  row: z.record(z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/), z.unknown()),
  // Reference rows: each column's clock value, and the newest version from another site the sender had seen
  // ('' for none), so the receiver merges column by column (server/sync/field-merge.ts).
  fields: z.record(z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/), z.string().regex(HLC)).optional(),
  seen: z.record(z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/), z.union([z.literal(''), z.string().regex(HLC)])).optional(),
});

export type SyncChange = z.infer<typeof syncChangeSchema>;
