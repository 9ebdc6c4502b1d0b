import type { S3Target } from '../object-storage/index.ts';

/** `klustera serve` flags for the files bucket; each has an environment variable, the key pair has only those. */
export interface FileBucketFlags {
  endpoint?: string;
  bucket?: string;
  region?: string;
  pathStyle?: boolean;
}

/**
 * The bucket uploaded files go to, from flags and `KLUSTERA_FILES_S3_*`; null when no endpoint is given (files stay
 * in the database). The key id and secret come from the environment only, so they never show in a process list.
 * A half-given configuration stops the start rather than quietly keeping files in the database.
 */
export function fileBucketFromConfig(flags: FileBucketFlags, env: NodeJS.ProcessEnv = process.env): S3Target | null {
  const endpoint = flags.endpoint ?? env.KLUSTERA_FILES_S3_ENDPOINT;
  if (!endpoint) return null;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`--files-s3-endpoint ${endpoint}: not an address`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== '') || url.search)
    throw new Error(`--files-s3-endpoint ${endpoint}: scheme, host and port only (https://s3.example.com)`);
  const bucket = flags.bucket ?? env.KLUSTERA_FILES_S3_BUCKET;
  if (!bucket || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw new Error('--files-s3-bucket (KLUSTERA_FILES_S3_BUCKET) must name a bucket: 3–63 lower-case letters, digits, dots, dashes');
  const accessKeyId = env.KLUSTERA_FILES_S3_ACCESS_KEY_ID;
  const secretAccessKey = env.KLUSTERA_FILES_S3_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new Error('the files bucket needs KLUSTERA_FILES_S3_ACCESS_KEY_ID and KLUSTERA_FILES_S3_SECRET_ACCESS_KEY in the environment');
  const pathStyleText = env.KLUSTERA_FILES_S3_PATH_STYLE;
  return {
    endpoint: url.origin,
    bucket,
    region: flags.region ?? env.KLUSTERA_FILES_S3_REGION ?? 'us-east-1',
    accessKeyId,
    secretAccessKey,
    pathStyle: flags.pathStyle ?? (pathStyleText === '1' || pathStyleText === 'true'),
  };
}
