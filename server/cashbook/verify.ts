import type { Knex } from 'knex';
import { verifyChain, type ChainVerification } from './entry-hash.ts';
import { ENTRY_COLUMNS, normalizeEntry } from './append-entry.ts';

/**
 * Re-reads an estate's cash book straight from the database and checks every link. Takes a plain knex handle so
 * the command line (`klustera cashbook-verify`) can run it against a data folder without starting the server.
 */
export async function verifyCashbookChain(knex: Knex | Knex.Transaction, estateId: string): Promise<ChainVerification> {
  const rows = await knex('cashbook_entries').where({ estate_id: estateId }).orderBy('seq').select(ENTRY_COLUMNS);
  return verifyChain(rows.map(normalizeEntry));
}

/** Every estate in the database, for the command line. */
export async function verifyAllCashbooks(knex: Knex): Promise<{ estate_id: string; name: string; result: ChainVerification }[]> {
  const estates = await knex('estates').select('id', 'name').orderBy('name');
  const out = [];
  for (const e of estates) out.push({ estate_id: e.id as string, name: e.name as string, result: await verifyCashbookChain(knex, e.id) });
  return out;
}
