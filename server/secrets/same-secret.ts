import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a token or signature someone sent equals the one expected, in time that says nothing about either: both
 * are hashed first, so the comparison sees two values of one length.
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
