/**
 * A backup's upload to the S3-compatible bucket, kept as one JSON value in `backups.remote`: where the object went,
 * how the tries went, and when the retention policy removed it from the bucket.
 */
export type RemoteStatus = 'pending' | 'retrying' | 'ok' | 'failed' | 'skipped';

export interface RemoteUpload {
  status: RemoteStatus;
  endpoint: string;
  bucket: string;
  key: string;
  bytes: number | null;
  attempts: number;
  error: string | null;
  uploaded_at: string | null;
  pruned_at: string | null;
  /** How many times a failed upload was put back in the queue (the next night's run, or "upload again"). */
  rounds?: number;
}

export function parseRemote(raw: string | null | undefined): RemoteUpload | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as RemoteUpload;
  } catch {
    return null;
  }
}

/** What the office sees of an upload (the endpoint stays in the settings). */
export function remoteView(raw: string | null | undefined) {
  const remote = parseRemote(raw);
  if (!remote) return null;
  return {
    status: remote.status,
    bucket: remote.bucket,
    key: remote.key,
    bytes: remote.bytes,
    attempts: remote.attempts,
    error: remote.error,
    uploaded_at: remote.uploaded_at,
    pruned: Boolean(remote.pruned_at),
  };
}
