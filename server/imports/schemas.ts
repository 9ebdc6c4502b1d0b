import { z } from 'zod';
import { booleanish } from '../http/schemas.ts';
import { IMPORT_FIELDS } from './column-mapping.ts';

export const importQuery = z.object({ dry_run: booleanish.default(false) });

/** Multipart text fields beside the `file`: `mapping` is JSON, `{"<0-based column index>": "<field>" | null}`. */
export const importFields = z.object({ mapping: z.string().max(20_000).optional() });

export const mappingOverride = z.record(z.string().regex(/^\d{1,4}$/, 'column index'), z.enum(IMPORT_FIELDS).nullable());

const rowError = z.object({ field: z.string(), message: z.string() });
const change = z.enum(['create', 'update', 'unchanged']);

export const importResponse = z.object({
  dry_run: z.boolean(),
  sheet: z.string(),
  header_row: z.number().int(),
  columns: z.array(z.object({ index: z.number().int(), header: z.string(), field: z.enum(IMPORT_FIELDS).nullable() })),
  unmapped_columns: z.array(z.object({ index: z.number().int(), header: z.string() })),
  summary: z.object({
    units_create: z.number().int(),
    units_update: z.number().int(),
    units_unchanged: z.number().int(),
    residents_create: z.number().int(),
    residents_update: z.number().int(),
    residents_unchanged: z.number().int(),
    error_rows: z.number().int(),
  }),
  rows: z.array(
    z.object({
      row_number: z.number().int(),
      action: z.enum(['create', 'update', 'unchanged', 'error']),
      unit_code: z.string().nullable(),
      errors: z.array(rowError),
      residents: z.array(z.object({ name: z.string(), relation: z.enum(['owner', 'tenant', 'family']), action: change })),
    }),
  ),
});

export type ImportResult = z.infer<typeof importResponse>;
