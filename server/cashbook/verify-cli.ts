import { defaultDataDir } from '../config.ts';
import { openDatabase } from '../db/knex.ts';
import { verifyAllCashbooks } from './verify.ts';

/**
 * `node --import tsx server/cashbook/verify-cli.ts [--data-dir DIR]` (or DATABASE_URL for PostgreSQL): prints each
 * estate's cash-book chain status and exits 1 when any chain is broken, so it can run from cron or a backup script.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--data-dir');
  const dataDir = at >= 0 ? args[at + 1] : defaultDataDir();
  const db = openDatabase({ dataDir, databaseUrl: process.env.DATABASE_URL });
  try {
    let broken = 0;
    for (const { name, estate_id, result } of await verifyAllCashbooks(db.knex)) {
      if (result.ok) {
        console.log(`OK      ${name} (${estate_id}): ${result.checked} entries`);
      } else {
        broken += 1;
        const b = result.first_broken!;
        console.log(`BROKEN  ${name} (${estate_id}): entry #${b.seq} ${b.entry_id} — ${b.reason}`);
      }
    }
    return broken ? 1 : 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
