// The estate the portal-reads benchmarks read (SQLite and PostgreSQL): 12 months billed and mostly paid, one unit in
// ten with a tenant since June, and signed-in residents whose sessions are minted the way login mints one.
import type { Knex } from 'knex';
import { SESSION_COOKIE } from '../../server/auth/authenticate.ts';
import { randomToken, sha256Hex } from '../../server/auth/passwords.ts';
import type { Period } from '../../server/calendar/calendar.ts';
import { newId } from '../../server/db/ids.ts';
import { openDatabase } from '../../server/db/knex.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { loadSyncContext } from '../../server/db/sync-context.ts';
import { createFeeType } from '../../server/ledger/fee-service.ts';
import { runBilling } from '../../server/ledger/billing-run.ts';
import { recordPayment } from '../../server/ledger/payment-service.ts';
import { createResident, updateResident } from '../../server/residents/service.ts';

export const PERIODS = [
  '2025-12',
  '2026-01',
  '2026-02',
  '2026-03',
  '2026-04',
  '2026-05',
  '2026-06',
  '2026-07',
  '2026-08',
  '2026-09',
  '2026-10',
  '2026-11',
] as Period[];
export const MOVE_OUT = '2026-05-31';
export const MOVE_IN = '2026-06-01';
export const PAGES = ['balance', 'invoices', 'payments'] as const;
export const GOAL_RPS = 3_000;
export const GOAL_P95_MS = 30;

export interface Resident {
  residentId: string;
  unitId: string;
  moved: boolean;
}

/** Bills 12 months, moves one unit in ten to a new tenant, and pays most months (the unit's occupant pays). */
export async function seedLedger(
  dataDir: string,
  estateId: string,
  databaseUrl?: string,
): Promise<{ residents: Resident[]; payments: number }> {
  const db = openDatabase({ dataDir, databaseUrl });
  await migrateToLatest(db);
  const store = new ScopedStore(db.knex, estateId, SYSTEM_ACTOR, await loadSyncContext(db.knex));
  try {
    await createFeeType(store, {
      code: 'IPL',
      name: 'IPL',
      amount: 150_000,
      basis: 'flat',
      vacant_rule: 'charge',
      effective_from: '2025-12',
    } as Parameters<typeof createFeeType>[1]);
    for (const period of PERIODS) await runBilling(store, { period, due_date: `${period}-10` });
    const occupants = (await store.live('unit_occupancies').orderBy('created_at').select('unit_id', 'resident_id')) as Array<{
      unit_id: string;
      resident_id: string;
    }>;
    const residents: Resident[] = [];
    let payments = 0;
    for (let start = 0; start < occupants.length; start += 100) {
      await store.transaction(async (tx) => {
        for (let n = start; n < Math.min(occupants.length, start + 100); n++) {
          const { unit_id: unitId, resident_id: ownerId } = occupants[n];
          const moved = n % 10 === 0;
          let current = ownerId;
          for (const [m, period] of PERIODS.entries()) {
            if (moved && period === '2026-06') {
              await updateResident(tx, ownerId, { moved_out_on: MOVE_OUT } as Parameters<typeof updateResident>[2]);
              const tenant = await createResident(tx, {
                name: `Penyewa ${n}`,
                phone: null,
                email: null,
                unit_id: unitId,
                relation: 'tenant',
                moved_in_on: MOVE_IN,
                directory_opt_in: false,
              } as Parameters<typeof createResident>[1]);
              current = tenant.id;
            }
            // Most units pay every month; one in seven skips a month now and then, so some invoices stay open.
            if ((n + m) % 7 === 3 && n % 7 === 0) continue;
            await recordPayment(tx, {
              unit_id: unitId,
              amount: 150_000,
              method: m % 3 ? 'cash' : 'bank_transfer',
              paid_at: `${period}-0${1 + (n % 8)}`,
            });
            payments++;
          }
          residents.push({ residentId: current, unitId, moved });
        }
      });
    }
    return { residents, payments };
  } finally {
    await db.close();
  }
}

/**
 * A resident account created through the API, and a session for it minted the way login mints one (a random token,
 * its SHA-256 stored): the login throttle rightly refuses dozens of logins a second from one address.
 */
export async function signIn(
  baseUrl: string,
  estateId: string,
  adminToken: string,
  sessions: Knex,
  resident: Resident,
  n: number,
): Promise<string> {
  const created = await fetch(`${baseUrl}/api/v1/estates/${estateId}/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `Warga ${n}`,
      email: `warga-${n}@griya-bench.example`,
      role: 'resident',
      resident_id: resident.residentId,
      password: `warga-bench-${n}-2026`,
    }),
  });
  if (created.status !== 201) throw new Error(`resident user: ${created.status} ${await created.text()}`);
  const { user } = (await created.json()) as { user: { id: string } };
  const token = randomToken();
  await sessions('sessions').insert({
    id: newId(),
    user_id: user.id,
    token_hash: sha256Hex(token),
    csrf_token: randomToken(24),
    created_at: new Date().toISOString(),
    expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    user_agent: 'portal-reads bench',
  });
  return `${SESSION_COOKIE}=${token}`;
}
