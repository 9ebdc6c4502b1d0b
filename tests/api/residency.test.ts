import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * One residency rule for every route a resident uses: their bills in the portal, a receipt's PDF and a guest pass
 * give the same answer for the same person and unit. A unit they do not live in (any more) is 404 everywhere, so a
 * resident cannot tell another unit's id from one that does not exist.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;
let today: string;
const e = (p: string) => `/estates/${estateId}${p}`;

type UnitName = 'A' | 'B' | 'C';
const unitIds = {} as Record<UnitName, string>;
const paymentIds = {} as Record<UnitName, string>;
const people = {} as Record<string, ApiClient>;

async function created(res: Promise<{ status: number; text: string; body: any }>) {
  const r = await res;
  expect(r.status, r.text).toBeLessThan(300);
  return r.body;
}

async function person(
  name: string,
  unit: UnitName,
  relation: string,
  movedInOn: string | null,
): Promise<{ client: ApiClient; residentId: string }> {
  const resident = await created(admin.post(e('/residents'), { name, unit_id: unitIds[unit], relation, moved_in_on: movedInOn }));
  const user = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: resident.id });
  return { client: user.client, residentId: resident.id };
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const calendar = (await admin.get(e('/calendar'))).body;
  today = calendar.today;
  for (const name of ['A', 'B', 'C'] as const) {
    unitIds[name] = (await created(admin.post(e('/units'), { code: `R-${name}`, type: 'rumah', occupancy: 'occupied' }))).id;
  }
  await created(admin.post(e('/charges'), { name: 'Iuran kebersihan', amount: 100_000, period: calendar.period, due_date: today }));
  for (const name of ['A', 'B', 'C'] as const) {
    paymentIds[name] = (
      await created(admin.post(e('/payments'), { unit_id: unitIds[name], amount: 100_000, method: 'cash', paid_at: calendar.now }))
    ).id;
  }
  people.resident = (await person('Warga A', 'A', 'owner', '2025-01-01')).client;
  const mover = await person('Pindahan A', 'A', 'tenant', '2024-01-01');
  await created(admin.patch(e(`/residents/${mover.residentId}`), { moved_out_on: today }));
  people['moved-out'] = mover.client;
  people['absent owner'] = (await person('Pemilik C', 'C', 'owner', null)).client;
  people.tenant = (await person('Penyewa C', 'C', 'tenant', '2025-06-01')).client;
  people['moving in'] = (await person('Calon Penyewa B', 'B', 'tenant', DateTime.fromISO(today).plus({ days: 1 }).toISODate())).client;
});
afterAll(async () => {
  await server?.close();
});

const ROUTES: Record<string, (client: ApiClient, unit: UnitName) => Promise<{ status: number; text: string }>> = {
  'portal bills': (c, u) => c.get(e(`/portal/invoices?unit_id=${unitIds[u]}`)),
  'portal balance': (c, u) => c.get(e(`/portal/balance?unit_id=${unitIds[u]}`)),
  'receipt PDF': (c, u) => c.get(e(`/portal/payments/${paymentIds[u]}/receipt.pdf`)),
  'guest pass': (c, u) => c.post(e('/portal/passes'), { unit_id: unitIds[u], name: 'Tamu Arisan' }),
};

// Who asks, for which unit, and whether it is theirs: the owner living in A, someone who moved out of A today, an
// owner of C who lives elsewhere (owners count as the unit's people), C's tenant, and someone moving into B tomorrow;
// B is nobody's today.
const TABLE: Array<{ who: string; unit: UnitName; theirs: boolean }> = [
  { who: 'resident', unit: 'A', theirs: true },
  { who: 'resident', unit: 'B', theirs: false },
  { who: 'moved-out', unit: 'A', theirs: false },
  { who: 'moved-out', unit: 'B', theirs: false },
  { who: 'absent owner', unit: 'C', theirs: true },
  { who: 'absent owner', unit: 'B', theirs: false },
  { who: 'tenant', unit: 'C', theirs: true },
  { who: 'tenant', unit: 'A', theirs: false },
  { who: 'moving in', unit: 'B', theirs: false },
];

describe('one residency rule', () => {
  it.each(TABLE)('$who asking for unit $unit gets the same answer from every route', async ({ who, unit, theirs }) => {
    const passesBefore = (await admin.get(e('/passes?limit=1'))).body.total;
    const answers: Record<string, number | string> = {};
    for (const [route, call] of Object.entries(ROUTES)) {
      const res = await call(people[who], unit);
      answers[route] = res.status < 300 ? 'ok' : res.status;
      if (!theirs) expect(JSON.parse(res.text).error.code, `${route}: ${res.text}`).toBe('NOT_FOUND');
    }
    const expected = theirs ? 'ok' : 404;
    expect(answers).toEqual(Object.fromEntries(Object.keys(ROUTES).map((r) => [r, expected])));
    const passesAfter = (await admin.get(e('/passes?limit=1'))).body.total;
    expect(passesAfter - passesBefore).toBe(theirs ? 1 : 0);
  });

  it('answers the portal for the first unit a resident lives in when none is named, and 404 once they moved out', async () => {
    const mine = await people.tenant.get(e('/portal/balance'));
    expect(mine.body.unit_id).toBe(unitIds.C);
    const pass = await people.tenant.post(e('/portal/passes'), { name: 'Kurir' });
    expect(pass.body.unit_id).toBe(unitIds.C);
    for (const res of [
      await people['moved-out'].get(e('/portal/balance')),
      await people['moved-out'].get(e('/portal/passes')),
      await people['moved-out'].get(e('/portal/visits')),
    ]) {
      expect(res.status, res.text).toBe(404);
    }
  });
});
