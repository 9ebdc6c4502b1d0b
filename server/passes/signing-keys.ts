import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { generateEstateKeyPair, type EstateKeyPair } from './pass-payload.ts';

// Keys never change once made; the scan path must not read them from the database each time.
const cache = new Map<string, EstateKeyPair>();

/** The estate's pass-signing key pair, created on first use. */
export async function estateKeys(store: ScopedStore): Promise<EstateKeyPair> {
  const cached = cache.get(store.estateId);
  if (cached) return cached;
  let row = await store.query('gate_signing_keys').first();
  if (!row) {
    const pair = generateEstateKeyPair();
    const at = nowIso();
    // Two first scans at once: one insert wins, the other reads the winner's key below.
    await store.insertUnlessExists(
      'gate_signing_keys',
      {
        public_key_pem: pair.publicKeyPem,
        private_key_pem: pair.privateKeyPem,
        created_at: at,
        updated_at: at,
      },
      ['estate_id'],
    );
    row = await store.query('gate_signing_keys').first();
  }
  const pair = { publicKeyPem: row.public_key_pem, privateKeyPem: row.private_key_pem };
  cache.set(store.estateId, pair);
  return pair;
}
