/**
 * Progress of billing runs still in their transaction. The run's row only becomes visible to other connections
 * when it commits, so the UI polls this in-memory view (GET billing-runs/:id) while a large estate is billed.
 * One run per estate at a time: a second one would only wait for the first's write lock.
 */
export interface RunProgress {
  id: string;
  estate_id: string;
  period: string;
  status: 'running' | 'failed';
  processed_units: number;
  total_units: number;
  started_at: string;
  error?: { code: string; message: string };
}

const active = new Map<string, RunProgress>();
const byEstate = new Map<string, string>();

export function beginRun(progress: RunProgress): boolean {
  if (byEstate.has(progress.estate_id)) return false;
  active.set(progress.id, progress);
  byEstate.set(progress.estate_id, progress.id);
  return true;
}

export function reportProgress(id: string, processed: number, total?: number): void {
  const p = active.get(id);
  if (!p) return;
  p.processed_units = processed;
  if (total !== undefined) p.total_units = total;
}

/** A finished run leaves the registry (its row is committed); a failed one stays so the UI can show why. */
export function endRun(id: string, error?: { code: string; message: string }): void {
  const p = active.get(id);
  if (!p) return;
  byEstate.delete(p.estate_id);
  if (error) {
    p.status = 'failed';
    p.error = error;
  } else {
    active.delete(id);
  }
}

export function runProgress(estateId: string, id: string): RunProgress | undefined {
  const p = active.get(id);
  return p && p.estate_id === estateId ? p : undefined;
}

export function activeRunOf(estateId: string): RunProgress | undefined {
  const id = byEstate.get(estateId);
  return id ? active.get(id) : undefined;
}
