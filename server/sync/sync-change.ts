import { z } from 'zod';

/** One change as it travels between sites: the row as it is now, with the clock value and site of its change. */
export const syncChangeSchema = z.object({
  table: z.string().regex(/^[a-z_]{1,64}$/),
  row_id: z.string().min(1).max(64),
  op: z.enum(['insert', 'update', 'delete']),
  hlc: z.string().regex(/^\d{15}-\d{5}-[\w-]{1,64}$/),
  site_id: z.string().min(1).max(64),
  row: z.record(z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/), z.unknown()),
});

export type SyncChange = z.infer<typeof syncChangeSchema>;
