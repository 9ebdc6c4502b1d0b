import { createHash } from 'node:crypto';

/**
 * Tamper evidence for the cash book. Each entry's hash covers its canonical content and the previous entry's hash
 * (per estate, in `seq` order), so editing, deleting or reordering a row by hand in the database breaks the chain
 * at that row. Pure: no database, so the CLI, the API and tests share one definition.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedEntryContent {
  id: string;
  estate_id: string;
  seq: number;
  account_id: string;
  direction: 'in' | 'out';
  amount: number;
  category: string;
  entry_date: string;
  description: string;
  proof_number: string | null;
  source_type: string;
  source_id: string | null;
  reverses_entry_id: string | null;
  transfer_id: string | null;
  recorded_by: string | null;
  created_at: string;
}

export interface ChainedEntry extends HashedEntryContent {
  prev_hash: string;
  hash: string;
}

export const HASHED_FIELDS: readonly (keyof HashedEntryContent)[] = [
  'id',
  'estate_id',
  'seq',
  'account_id',
  'direction',
  'amount',
  'category',
  'entry_date',
  'description',
  'proof_number',
  'source_type',
  'source_id',
  'reverses_entry_id',
  'transfer_id',
  'recorded_by',
  'created_at',
];

/**
 * A fixed field order and explicit normalisation: SQLite and PostgreSQL return numbers and nulls slightly
 * differently (bigint as string, missing vs null), and the hash must not depend on the driver.
 */
export function canonicalEntryContent(entry: HashedEntryContent): string {
  const values = HASHED_FIELDS.map((field) => {
    const value = entry[field];
    if (field === 'seq' || field === 'amount') return Number(value);
    return value === undefined || value === null ? null : String(value);
  });
  return JSON.stringify(values);
}

export function entryHash(prevHash: string, entry: HashedEntryContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalEntryContent(entry)).digest('hex');
}

export type ChainBreakReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap';

export interface ChainVerification {
  ok: boolean;
  checked: number;
  head_hash: string;
  first_broken: null | { seq: number; entry_id: string; reason: ChainBreakReason; expected_seq?: number };
}

/** Walks entries in `seq` order and reports the first link that does not hold. */
export function verifyChain(entries: readonly ChainedEntry[]): ChainVerification {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (const entry of entries) {
    const seq = Number(entry.seq);
    if (seq !== expectedSeq) {
      return {
        ok: false,
        checked,
        head_hash: prev,
        first_broken: { seq, entry_id: entry.id, reason: 'sequence_gap', expected_seq: expectedSeq },
      };
    }
    if (entry.prev_hash !== prev) {
      return { ok: false, checked, head_hash: prev, first_broken: { seq, entry_id: entry.id, reason: 'prev_hash_mismatch' } };
    }
    if (entryHash(prev, entry) !== entry.hash) {
      return { ok: false, checked, head_hash: prev, first_broken: { seq, entry_id: entry.id, reason: 'hash_mismatch' } };
    }
    prev = entry.hash;
    expectedSeq += 1;
    checked += 1;
  }
  return { ok: true, checked, head_hash: prev, first_broken: null };
}
