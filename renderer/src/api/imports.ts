import { uploadWithProgress } from './client.ts';
import type { ImportResult } from './types.ts';

/** Column index → field name; sent when the treasurer corrects a header the server did not recognise. */
export type ColumnMapping = Record<string, string>;

export function importUnits(
  estateId: string,
  file: File,
  options: { dryRun: boolean; mapping?: ColumnMapping; onProgress?: (fraction: number) => void },
): Promise<ImportResult> {
  const form = new FormData();
  form.append('file', file);
  if (options.mapping && Object.keys(options.mapping).length > 0) {
    form.append('mapping', JSON.stringify(options.mapping));
  }
  return uploadWithProgress<ImportResult>(`/estates/${estateId}/imports/units`, form, {
    query: options.dryRun ? { dry_run: 1 } : undefined,
    onProgress: options.onProgress,
  });
}
