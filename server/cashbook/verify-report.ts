import type { Knex } from 'knex';
import { verifyAllCashbooks } from './verify.ts';

/**
 * What `klustera verify-cashbook` prints: each estate's cash-book chain status. Returns the exit code — 1 when any
 * chain is broken — so it can run from cron or a backup script.
 */
export async function printCashbookVerification(knex: Knex, log: (line: string) => void = console.log): Promise<number> {
  let broken = 0;
  for (const { name, estate_id, result } of await verifyAllCashbooks(knex)) {
    if (result.ok) {
      log(`OK      ${name} (${estate_id}): ${result.checked} entries`);
    } else {
      broken += 1;
      const b = result.first_broken!;
      log(`BROKEN  ${name} (${estate_id}): entry #${b.seq} ${b.entry_id} — ${b.reason}`);
    }
  }
  return broken ? 1 : 0;
}
