import { randomBytes } from 'node:crypto';

/**
 * The code in a receipt's QR. 144 random bits, stored with the receipt: it cannot be guessed or derived from the
 * payment number, so a forged receipt's QR finds nothing, and it reveals nothing about the estate's ids.
 */
export function newVerifyCode(): string {
  return randomBytes(18).toString('base64url');
}

export function isWellFormedVerifyCode(code: string): boolean {
  return /^[A-Za-z0-9_-]{24}$/.test(code);
}
