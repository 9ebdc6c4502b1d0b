/** A row of the `jobs` table: one durable job, queued, running under a lease, or finished. */
export interface JobRow {
  id: string;
  estate_id: string | null;
  name: string;
  payload: string;
  dedupe_key: string | null;
  status: 'pending' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}
