import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import {
  accountsWithBalances,
  createAccount,
  createEntry,
  createTransfer,
  reverseEntry,
  verifyCashbook,
} from '../../server/cashbook/service.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * The cash book against a real SQLite file: for any sequence of entries, transfers and reversals, every account's
 * closing balance per month is opening + in − out, equals a plain running total, and the hash chain verifies.
 */
let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin } = await setupEstate(server.url));
});
afterAll(async () => {
  await server?.close();
});

const date = fc
  .record({ m: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 28 }) })
  .map(({ m, d }) => `2026-0${m}-${String(d).padStart(2, '0')}`);
const amount = fc.integer({ min: 1, max: 25_000_000 });
const op = fc.oneof(
  fc.record({
    kind: fc.constant('entry' as const),
    account: fc.nat(2),
    direction: fc.constantFrom('in' as const, 'out' as const),
    amount,
    date,
  }),
  fc.record({ kind: fc.constant('transfer' as const), from: fc.nat(2), to: fc.nat(2), amount, date }),
  fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat(), date }),
);

describe('cash-book balances (property, real database)', () => {
  it('closing = opening + in − out per account for any sequence, and the chain verifies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 3, maxLength: 3 }),
        fc.array(op, { maxLength: 25 }),
        async (openings, ops) => {
          const estate = await admin.post('/estates', { name: `Perumahan ${Math.random().toString(36).slice(2, 8)}` });
          const store = new ScopedStore(server.db.knex, estate.body.id, SYSTEM_ACTOR, server.app.sync);
          const accounts: string[] = [];
          // Model: signed movements per account with their dates.
          const moves: { account: string; signed: number; date: string }[] = [];
          for (const [i, opening] of openings.entries()) {
            const a = await createAccount(store, {
              name: `Akun ${i}`,
              kind: (['cash', 'bank', 'ewallet'] as const)[i],
              opening_balance: opening,
              opening_date: '2026-01-01',
            });
            accounts.push(a.id);
            if (opening) moves.push({ account: a.id, signed: opening, date: '2026-01-01' });
          }
          const reversible: { ids: string[]; legs: { account: string; signed: number }[] }[] = [];
          for (const o of ops) {
            if (o.kind === 'entry') {
              const e = await createEntry(store, {
                account_id: accounts[o.account],
                direction: o.direction,
                amount: o.amount,
                category: 'other_income',
                entry_date: o.date,
                description: 'x',
                // The arithmetic must hold below zero too; the warning before it is tested on its own.
                confirm_below_zero: true,
              });
              const signed = o.direction === 'in' ? o.amount : -o.amount;
              moves.push({ account: accounts[o.account], signed, date: o.date });
              reversible.push({ ids: [e.id], legs: [{ account: accounts[o.account], signed }] });
            } else if (o.kind === 'transfer') {
              if (o.from === o.to) continue;
              const t = await createTransfer(store, {
                from_account_id: accounts[o.from],
                to_account_id: accounts[o.to],
                amount: o.amount,
                entry_date: o.date,
                confirm_below_zero: true,
              });
              const legs = [
                { account: accounts[o.from], signed: -o.amount },
                { account: accounts[o.to], signed: o.amount },
              ];
              for (const l of legs) moves.push({ ...l, date: o.date });
              reversible.push({ ids: t.entries.map((x) => x.id), legs });
            } else if (reversible.length) {
              const [target] = reversible.splice(o.pick % reversible.length, 1);
              await reverseEntry(store, target.ids[0], { reason: 'koreksi', entry_date: o.date });
              for (const l of target.legs) moves.push({ account: l.account, signed: -l.signed, date: o.date });
            }
          }
          for (const period of ['2026-01', '2026-02', '2026-03', '2026-04']) {
            const end = `${period}-31`;
            for (const a of await accountsWithBalances(store, period)) {
              expect(a.period_closing).toBe(a.period_opening! + a.period_in! - a.period_out!);
              const expected = moves.filter((m) => m.account === a.id && m.date <= end).reduce((s, m) => s + m.signed, 0);
              expect(a.period_closing).toBe(expected);
            }
          }
          for (const a of await accountsWithBalances(store)) {
            expect(a.balance).toBe(moves.filter((m) => m.account === a.id).reduce((s, m) => s + m.signed, 0));
          }
          expect((await verifyCashbook(store)).ok).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });
});
