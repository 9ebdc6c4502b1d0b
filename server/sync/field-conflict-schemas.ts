import { z } from 'zod';

/** A value that lost a per-field merge, as the office reads it (field-conflicts.ts). */
export const fieldConflictResponse = z.object({
  id: z.string(),
  table_name: z.string(),
  row_id: z.string(),
  row_label: z.string().nullable(),
  column_name: z.string(),
  winning_value: z.unknown(),
  losing_value: z.unknown(),
  /** Which side's value is in force: this installation's, or the other site's. */
  winner: z.enum(['this_site', 'other_site']),
  created_at: z.string(),
  resolution: z.enum(['dismissed', 'used']).nullable(),
  resolved_at: z.string().nullable(),
});
export type FieldConflictAnswer = z.infer<typeof fieldConflictResponse>;
export const fieldConflictListResponse = z.object({ items: z.array(fieldConflictResponse) });
export const fieldConflictListQuery = z.object({ open: z.enum(['0', '1']).optional() }).strict();
export const fieldConflictParams = z.object({ estate_id: z.string().uuid('Id tidak sah.'), conflict_id: z.string().max(64) });
