import { z } from 'zod';
import { booleanish } from '../http/schemas.ts';
import { IMPORT_FIELDS } from './column-mapping.ts';

export const importQuery = z.object({
  dry_run: booleanish.default(false),
  // Write in the background as a job the office watches (`GET …/imports/units/jobs/:id`), instead of within the request.
  background: booleanish.default(false),
});

/** Multipart text fields beside the `file`: `mapping` is JSON, `{"<0-based column index>": "<field>" | null}`. */
export const importFields = z.object({ mapping: z.string().max(20_000).optional() });

export const mappingOverride = z.record(z.string().regex(/^\d{1,4}$/, 'Nomor kolom tidak sah.'), z.enum(IMPORT_FIELDS).nullable());

const rowError = z.object({ field: z.string(), message: z.string() });
const change = z.enum(['create', 'update', 'unchanged']);

export const importResponse = z.object({
  dry_run: z.boolean(),
  /** With `?background=1`: the job writing the import; `summary` and `rows` are what it will write. */
  job_id: z.string().optional(),
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

const importSummary = importResponse.shape.summary;

/** A background import while it runs and after: rows written so far of all, its summary once done. */
export const importJobResponse = z.object({
  id: z.string(),
  status: z.enum(['pending', 'running', 'done', 'failed']),
  rows_done: z.number().int(),
  rows_total: z.number().int().nullable(),
  summary: importSummary.nullable(),
  error: z.string().nullable(),
});
export type ImportJobView = z.infer<typeof importJobResponse>;
