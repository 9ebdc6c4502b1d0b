import { z } from 'zod';

export const estateExportParams = z.object({ estate_id: z.string() });

export const estateImportResponse = z.object({
  estate_id: z.string(),
  estate_name: z.string(),
  rows: z.number().int(),
  files: z.number().int(),
  accounts: z.object({
    same_id: z.number().int(),
    matched_by_email: z.number().int(),
    created_invited: z.number().int(),
  }),
});
export type EstateImportResponse = z.infer<typeof estateImportResponse>;
