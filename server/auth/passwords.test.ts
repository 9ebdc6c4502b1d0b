import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('rahasia-bendahara-1');
    expect(hash.startsWith('scrypt$')).toBe(true);
    expect(hash).not.toContain('rahasia');
    expect(await verifyPassword('rahasia-bendahara-1', hash)).toBe(true);
    expect(await verifyPassword('rahasia-bendahara-2', hash)).toBe(false);
    expect(await verifyPassword('x', null)).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('sama')).not.toBe(await hashPassword('sama'));
  });
});
