import { describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, verifyChain, type ChainedEntry, type HashedEntryContent } from './entry-hash.ts';

function chain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const content: HashedEntryContent = {
      id: `e${i}`,
      estate_id: 'est',
      seq: i,
      account_id: 'acc',
      direction: i % 2 ? 'in' : 'out',
      amount: 1000 * i,
      category: 'iuran',
      entry_date: '2026-11-01',
      description: `entry ${i}`,
      proof_number: null,
      source_type: 'manual',
      source_id: null,
      reverses_entry_id: null,
      transfer_id: null,
      recorded_by: 'u1',
      created_at: '2026-11-01T00:00:00.000Z',
    };
    const hash = entryHash(prev, content);
    out.push({ ...content, prev_hash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('cash-book hash chain', () => {
  it('verifies an untouched chain', () => {
    const v = verifyChain(chain(5));
    expect(v).toMatchObject({ ok: true, checked: 5, first_broken: null });
  });

  it('reports the edited entry as the first broken link', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], amount: 999_999 };
    expect(verifyChain(entries).first_broken).toEqual({ seq: 3, entry_id: 'e3', reason: 'hash_mismatch' });
  });

  it('catches a recomputed hash through the next entry', () => {
    const entries = chain(5);
    const edited = { ...entries[1], description: 'changed' };
    edited.hash = entryHash(edited.prev_hash, edited);
    entries[1] = edited;
    expect(verifyChain(entries).first_broken).toEqual({ seq: 3, entry_id: 'e3', reason: 'prev_hash_mismatch' });
  });

  it('catches a deleted entry', () => {
    const entries = chain(5);
    entries.splice(3, 1);
    expect(verifyChain(entries).first_broken).toMatchObject({ seq: 5, reason: 'sequence_gap', expected_seq: 4 });
  });

  it('does not depend on whether the driver returns numbers as strings', () => {
    const entries = chain(3).map((e) => ({ ...e, amount: String(e.amount) as unknown as number, seq: String(e.seq) as unknown as number }));
    expect(verifyChain(entries).ok).toBe(true);
  });
});
