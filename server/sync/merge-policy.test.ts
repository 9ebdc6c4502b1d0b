import { describe, expect, it } from 'vitest';
import { compareSchemaVersions, incomingWins, rowForTransport, rowFromTransport, sameFact } from './merge-policy.ts';

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

  it('carries proof bytes as base64 through JSON and back, and refuses a byte column that is not base64', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const sent = JSON.parse(JSON.stringify(rowForTransport('payment_proofs', { id: 'p1', data: bytes, size: 6 })));
    expect(sent).toEqual({ id: 'p1', data: bytes.toString('base64'), size: 6 });
    const stored = rowFromTransport('payment_proofs', sent);
    expect(Buffer.isBuffer(stored?.data) && stored.data.equals(bytes)).toBe(true);
    expect(rowFromTransport('payment_proofs', { id: 'p1', data: { type: 'Buffer', data: [1] } })).toBeNull();
    expect(rowFromTransport('cashbook_attachments', { id: 'a1', content: 'not base64!' })).toBeNull();
    expect(rowForTransport('units', { id: 'u1', code: 'B-7' })).toEqual({ id: 'u1', code: 'B-7' });
  });
});
