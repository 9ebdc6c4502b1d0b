import { describe, expect, it } from 'vitest';
import { passRejection, type PassValidity } from './pass-verdict.ts';

const base: PassValidity = {
  valid_from: '2026-11-21T00:00:00.000Z',
  valid_until: '2026-11-22T00:00:00.000Z',
  max_uses: 1,
  uses: 0,
  revoked_at: null,
};
const during = '2026-11-21T10:00:00.000Z';

describe('passRejection', () => {
  it('accepts a fresh pass inside its window', () => {
    expect(passRejection(base, during, 'in')).toBeNull();
  });
  it('names each reason', () => {
    expect(passRejection({ ...base, revoked_at: during }, during, 'in')).toBe('revoked');
    expect(passRejection(base, '2026-11-20T23:59:59.999Z', 'in')).toBe('not_yet_valid');
    expect(passRejection(base, '2026-11-22T00:00:00.000Z', 'in')).toBe('expired');
    expect(passRejection({ ...base, uses: 1 }, during, 'in')).toBe('used_up');
  });
  it('treats a missing use limit as unlimited', () => {
    expect(passRejection({ ...base, max_uses: null, uses: 500 }, during, 'in')).toBeNull();
  });
  it('prefers revoked over the window, and the window over uses', () => {
    expect(passRejection({ ...base, revoked_at: during, uses: 1 }, '2030-01-01T00:00:00.000Z', 'in')).toBe('revoked');
    expect(passRejection({ ...base, uses: 1 }, '2030-01-01T00:00:00.000Z', 'in')).toBe('expired');
  });
  it('lets a holder out whatever the pass state', () => {
    expect(passRejection({ ...base, revoked_at: during, uses: 9 }, '2030-01-01T00:00:00.000Z', 'out')).toBeNull();
  });
});
