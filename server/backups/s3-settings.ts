import { z } from 'zod';
import { ValidationError } from '../http/errors.ts';
import { openSecret, sealSecret, secretsKey } from '../secrets/index.ts';
import type { S3Target } from '../object-storage/index.ts';

/**
 * The S3-compatible bucket backups are uploaded to: what the office types (endpoint, region, bucket, prefix, access
 * key id, path-style) and the secret key, kept sealed with the installation's secrets key and never answered back.
 */
export const s3SettingsSchema = z.object({
  enabled: z.boolean(),
  endpoint: z.string().max(300),
  region: z.string().max(40),
  bucket: z.string().max(63),
  prefix: z.string().max(200),
  access_key_id: z.string().max(200),
  path_style: z.boolean(),
});
export type S3Settings = z.infer<typeof s3SettingsSchema>;

export const s3SettingsBody = s3SettingsSchema
  .extend({
    /** Write-only: a new secret key, absent to keep the stored one. */
    secret_key: z.string().max(200).optional(),
  })
  .strict();
export type S3SettingsInput = z.infer<typeof s3SettingsBody>;

export const s3SettingsView = s3SettingsSchema.extend({ has_secret_key: z.boolean() });

export interface StoredS3Settings extends S3Settings {
  secret_key_enc: string | null;
}

const SECRET_CONTEXT = 'installation_settings:backups:s3_secret_key';

function invalid(message: string, field: string, code: string): never {
  throw new ValidationError(message, `s3.${field}`, code);
}

/** `https://host[:port]` without a path; a trailing slash is dropped. */
function checkedEndpoint(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return invalid(
      'Alamat server S3 harus berupa URL, misalnya https://s3.ap-southeast-1.amazonaws.com.',
      'endpoint',
      'BACKUP_S3_ENDPOINT_INVALID',
    );
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash ||
    url.pathname !== '/'
  ) {
    return invalid(
      'Alamat server S3 harus berupa URL, misalnya https://s3.ap-southeast-1.amazonaws.com.',
      'endpoint',
      'BACKUP_S3_ENDPOINT_INVALID',
    );
  }
  return url.origin;
}

/** Validates what the office typed and seals a new secret key; the stored one is kept when none is given. */
export function prepareS3Settings(dataDir: string, current: StoredS3Settings | null, input: S3SettingsInput): StoredS3Settings {
  const endpoint = checkedEndpoint(input.endpoint);
  const region = input.region.trim();
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/i.test(region))
    invalid('Region S3 tidak valid (misalnya ap-southeast-1, atau auto untuk R2).', 'region', 'BACKUP_S3_REGION_INVALID');
  const bucket = input.bucket.trim();
  if (!/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/i.test(bucket)) invalid('Nama bucket S3 tidak valid.', 'bucket', 'BACKUP_S3_BUCKET_INVALID');
  // Object names stay plain so every provider files them alike: letters, digits and `._-/`, no empty folder names.
  const prefix = input.prefix.trim().replace(/^\/+/, '');
  if (!/^[A-Za-z0-9._\-/]*$/.test(prefix) || prefix.includes('//') || prefix.split('/').some((part) => part === '..' || part === '.')) {
    invalid(
      'Awalan nama objek hanya boleh berisi huruf, angka, titik, garis bawah, tanda hubung dan garis miring.',
      'prefix',
      'BACKUP_S3_PREFIX_INVALID',
    );
  }
  const accessKeyId = input.access_key_id.trim();
  if (!/^[\x21-\x7e]{1,200}$/.test(accessKeyId)) invalid('Isi ID kunci akses S3.', 'access_key_id', 'BACKUP_S3_KEY_REQUIRED');
  let secretEnc = current?.secret_key_enc ?? null;
  if (typeof input.secret_key === 'string' && input.secret_key !== '') {
    if (!/^[\x21-\x7e]{1,200}$/.test(input.secret_key)) invalid('Kunci rahasia S3 tidak valid.', 'secret_key', 'BACKUP_S3_KEY_REQUIRED');
    secretEnc = sealSecret(secretsKey(dataDir), input.secret_key, SECRET_CONTEXT);
  }
  if (!secretEnc) invalid('Isi kunci rahasia S3.', 'secret_key', 'BACKUP_S3_KEY_REQUIRED');
  return {
    enabled: input.enabled,
    endpoint,
    region,
    bucket,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    access_key_id: accessKeyId,
    path_style: input.path_style,
    secret_key_enc: secretEnc,
  };
}

export function viewOfS3Settings(stored: StoredS3Settings | null | undefined) {
  if (!stored) return null;
  const { secret_key_enc, ...rest } = stored;
  return { ...rest, has_secret_key: Boolean(secret_key_enc) };
}

/** The target to talk to, or null when the secret key does not open on this machine (another data folder's key). */
export function s3TargetOf(dataDir: string, stored: StoredS3Settings): S3Target | null {
  const secret = stored.secret_key_enc ? openSecret(secretsKey(dataDir), stored.secret_key_enc, SECRET_CONTEXT) : null;
  if (!secret) return null;
  return {
    endpoint: stored.endpoint,
    region: stored.region,
    bucket: stored.bucket,
    accessKeyId: stored.access_key_id,
    secretAccessKey: secret,
    pathStyle: stored.path_style,
  };
}
