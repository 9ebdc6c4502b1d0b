import { api, uploadWithProgress } from './client.ts';
import type { ImportJobView, ImportResult } from './types.ts';

/** Column index → field name; sent when the treasurer corrects a header the server did not recognise. */
export type ColumnMapping = Record<string, string>;

export function importUnits(
  estateId: string,
  file: File,
  options: { dryRun: boolean; background?: boolean; mapping?: ColumnMapping; onProgress?: (fraction: number) => void },
): Promise<ImportResult> {
  const form = new FormData();
  form.append('file', file);
  if (options.mapping && Object.keys(options.mapping).length > 0) {
    form.append('mapping', JSON.stringify(options.mapping));
  }
  return uploadWithProgress<ImportResult>(`/estates/${estateId}/imports/units`, form, {
    query: options.dryRun ? { dry_run: 1 } : options.background ? { background: 1 } : undefined,
    onProgress: options.onProgress,
  });
}

/** A background import's rows written so far of all, and its summary once done. */
export const importJob = (estateId: string, jobId: string, signal?: AbortSignal) =>
  api.get<ImportJobView>(`/estates/${estateId}/imports/units/jobs/${jobId}`, undefined, signal);
