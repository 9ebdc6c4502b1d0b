import { describe, expect, it } from 'vitest';
import { compareSchemaVersions, incomingWins, sameFact } from './merge-policy.ts';

describe('merge policy', () => {
  it('treats 0/1 and true/false, and a bigint string and a number, as the same money fact', () => {
    expect(sameFact({ amount: 150000, voided: false }, { amount: '150000', voided: 0, extra: 'x' })).toBe(true);
    expect(sameFact({ amount: 150000 }, { amount: 150001 })).toBe(false);
    expect(sameFact({ note: null }, { note: '' })).toBe(false);
  });

  it('lets the later clock value win and ignores a replay of the held change', () => {
    const held = '000001764000000000-00000-site-a';
    expect(incomingWins('000001764000000001-00000-site-b', held)).toBe(true);
    expect(incomingWins(held, held)).toBe(false);
    expect(incomingWins('000001763999999999-00000-site-b', held)).toBe(false);
    expect(incomingWins(held, null)).toBe(true);
  });

  it('orders schema versions by their migration timestamp', () => {
    expect(compareSchemaVersions('20261202000800_rate_limit_hits', '20261203000700_sync_links')).toBeLessThan(0);
    expect(compareSchemaVersions('20261203000700_sync_links', '20261203000700_sync_links')).toBe(0);
  });
});
