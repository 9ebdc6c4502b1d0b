import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encryption at rest for secrets the server must read back (payment-gateway keys, callback tokens): AES-256-GCM with
 * a 32-byte key kept outside the database, so a copied database file or backup alone does not give the keys away.
 *
 * The key is `KLUSTERA_SECRETS_KEY` (64 hex characters or base64 of 32 bytes) when set — the hosted instance must set
 * it, since its processes share one database but not one data folder — and otherwise `secrets.key` in the data folder,
 * made on first use and readable by its owner only. Losing the key means entering the gateway keys again.
 */
const KEY_FILE = 'secrets.key';
const VERSION = 'v1';

const cache = new Map<string, Buffer>();

function keyFromEnv(): Buffer | null {
  const raw = process.env.KLUSTERA_SECRETS_KEY?.trim();
  if (!raw) return null;
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new Error('KLUSTERA_SECRETS_KEY must be 32 bytes (64 hex characters or base64)');
  return key;
}

export function secretsKey(dataDir: string): Buffer {
  const fromEnv = keyFromEnv();
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, KEY_FILE);
  const known = cache.get(file);
  if (known) return known;
  let key: Buffer;
  try {
    // 'wx': two processes making the key at once, the second reads the first's.
    const fresh = randomBytes(32);
    fs.writeFileSync(file, fresh.toString('hex'), { flag: 'wx', mode: 0o600 });
    key = fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key`);
  }
  cache.set(file, key);
  return key;
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url parts; `context` (the table and row) is bound as associated data. */
export function sealSecret(key: Buffer, plain: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** The plain secret, or null when it was sealed with another key or for another row (or was tampered with). */
export function openSecret(key: Buffer, sealed: string, context: string): string | null {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
