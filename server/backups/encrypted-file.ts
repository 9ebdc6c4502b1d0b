import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';

/**
 * A backup that leaves the machine (a USB disk, another folder) is encrypted with the office's passphrase:
 * AES-256-GCM, the key derived with scrypt from the passphrase and a random salt. Layout:
 * `KLBK` · version 1 · salt (16) · nonce (12) · ciphertext · tag (16). Streamed, so a large database is never held in
 * memory. A wrong passphrase and a damaged file are told apart from nothing else: both fail the tag.
 */
const MAGIC = Buffer.from('KLBK');
const VERSION = 1;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + SALT_BYTES + NONCE_BYTES;
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export const ENCRYPTED_SUFFIX = '.klbk';

export class BackupPassphraseError extends Error {}

function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(passphrase.normalize('NFC'), salt, 32, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export function isEncryptedBackup(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(MAGIC.length);
    return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.equals(MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes `source` encrypted to `target` (created with owner-only permissions; replaced if it exists). */
export async function encryptFile(source: string, target: string, passphrase: string): Promise<void> {
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt), nonce);
  const out = fs.createWriteStream(target, { mode: 0o600 });
  out.write(Buffer.concat([MAGIC, Buffer.from([VERSION]), salt, nonce]));
  await pipeline(fs.createReadStream(source), cipher, out, { end: false });
  await new Promise<void>((resolve, reject) => out.end(cipher.getAuthTag(), () => resolve()).once('error', reject));
}

/** Writes the plain database of an encrypted backup to `target`; BackupPassphraseError when it does not open. */
export async function decryptFile(source: string, target: string, passphrase: string): Promise<void> {
  const size = fs.statSync(source).size;
  if (size < HEADER_BYTES + TAG_BYTES || !isEncryptedBackup(source))
    throw new BackupPassphraseError(`${source} is not an encrypted Klustera backup`);
  const fd = fs.openSync(source, 'r');
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    fs.readSync(fd, header, 0, HEADER_BYTES, 0);
    fs.readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    fs.closeSync(fd);
  }
  if (header[MAGIC.length] !== VERSION) throw new BackupPassphraseError(`${source} was written by a newer Klustera`);
  const salt = header.subarray(MAGIC.length + 1, MAGIC.length + 1 + SALT_BYTES);
  const nonce = header.subarray(MAGIC.length + 1 + SALT_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', await deriveKey(passphrase, salt), nonce);
  decipher.setAuthTag(tag);
  try {
    // An empty ciphertext range still has to run the tag check: `end` is inclusive, so the range is omitted then.
    const range = size - TAG_BYTES - 1 >= HEADER_BYTES ? { start: HEADER_BYTES, end: size - TAG_BYTES - 1 } : { start: size, end: size };
    await pipeline(fs.createReadStream(source, range), decipher, fs.createWriteStream(target, { mode: 0o600 }));
  } catch (err) {
    fs.rmSync(target, { force: true });
    if ((err as Error).message?.includes('authenticate')) {
      throw new BackupPassphraseError('the passphrase is wrong or the backup file is damaged');
    }
    throw err;
  }
}
