import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/db/ids.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import { apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * The office marks an account change that sync set aside (the hosted instance refused it: the account works in
 * another estate there) as handled once it has put the account right by hand. The record stays with who and when, an
 * audit row says so, and the change leaves the Sinkronisasi page's list. Runs on SQLite and PostgreSQL: how a change
 * comes to be set aside in a real cycle is tests/api/sync-shared-account.test.ts; here the rows are placed as that
 * cycle writes them.
 */
let server: TestServer;
let platform: ApiClient;
let adminA: ApiClient;
let treasurer: ApiClient;
let staff: ApiClient;
let estateA: string;
let estateB: string;
let tonoId: string;
const db = () => platformDb(server.app);
const path = (estateId: string, id: string) => `/estates/${estateId}/sync/set-aside/${id}/mark-handled`;

/** A set-aside change of `userId`'s account row, as setAsideSharedAccountChanges writes it. */
async function setAside(estateId: string, userId: string, createdAt: string): Promise<string> {
  const id = newId();
  await db()('sync_set_aside').insert({
    id,
    estate_id: estateId,
    outbox_id: newId(),
    table_name: 'users',
    row_id: userId,
    code: 'SYNC_ACCOUNT_OUTSIDE_ESTATE',
    created_at: createdAt,
  });
  return id;
}

async function snapshot() {
  return {
    rows: await db()('sync_set_aside').orderBy('id').select('*'),
    audit: Number(((await db()('audit_log').count({ n: '*' }).first()) as { n: unknown }).n),
    outbox: Number(((await db()('outbox').count({ n: '*' }).first()) as { n: unknown }).n),
  };
}

const listed = async (client: ApiClient, estateId: string) =>
  ((await client.get(`/estates/${estateId}/sync`)).body.set_aside as { id: string }[]).map((item) => item.id);

beforeAll(async () => {
  server = await startTestServer();
  const s = await setupEstate(server.url, 'Perumahan A');
  platform = s.client;
  estateA = s.estateId;
  const made = await platform.post(`/estates/${estateA}/users`, {
    name: 'Admin A',
    email: 'admin-a@a.id',
    role: 'estate_admin',
    password: 'admin-a-rahasia',
  });
  expect(made.status, made.text).toBe(201);
  adminA = apiClient(server.url);
  expect((await adminA.post('/auth/login', { login: 'admin-a@a.id', password: 'admin-a-rahasia' })).status).toBe(200);
  treasurer = (await userWithRole(server.url, platform, estateA, 'treasurer')).client;
  const tono = await userWithRole(server.url, platform, estateA, 'staff');
  staff = tono.client;
  tonoId = tono.userId;
  estateB = (await platform.post('/estates', { name: 'Perumahan B' })).body.id as string;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('marking a set-aside account change as handled', () => {
  it('keeps the record with who and when, writes an audit row, and the change leaves the list', async () => {
    const older = await setAside(estateA, tonoId, '2026-11-29T03:00:00.000Z');
    const newer = await setAside(estateA, tonoId, '2026-11-30T03:00:00.000Z');
    expect(await listed(adminA, estateA)).toEqual([newer, older]);
    const outboxBefore = (await snapshot()).outbox;

    const res = await adminA.post(path(estateA, older));
    expect(res.status, res.text).toBe(200);
    expect(res.body.set_aside.map((item: { id: string }) => item.id)).toEqual([newer]);
    expect(await listed(adminA, estateA)).toEqual([newer]);

    const row = await db()('sync_set_aside').where({ id: older }).first();
    const adminId = (await db()('users').where({ email: 'admin-a@a.id' }).first()).id as string;
    expect(row).toMatchObject({ handled_by: adminId, row_id: tonoId, estate_id: estateA });
    expect(Date.parse(row.handled_at)).toBeGreaterThan(Date.now() - 60_000);
    const audit = await db()('audit_log').where({ action: 'sync.set_aside.handled', entity_id: older });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      estate_id: estateA,
      actor_user_id: adminId,
      actor_role: 'estate_admin',
      entity_table: 'sync_set_aside',
    });
    // Site-local bookkeeping: marking it is never sent to the hosted instance.
    expect((await snapshot()).outbox).toBe(outboxBefore);
    expect(await listed(adminA, estateA)).toEqual([newer]);
  });

  it('answers a replay with 409 SYNC_SET_ASIDE_HANDLED, in either language, and changes nothing', async () => {
    const id = await setAside(estateA, tonoId, '2026-11-30T04:00:00.000Z');
    expect((await adminA.post(path(estateA, id))).status).toBe(200);
    const before = await snapshot();
    const again = await adminA.post(path(estateA, id));
    expect(again.status, again.text).toBe(409);
    expect(again.body.error.code).toBe('SYNC_SET_ASIDE_HANDLED');
    expect(again.body.error.message).toContain('sudah ditandai');
    const english = await platform.post(path(estateA, id), undefined, { 'accept-language': 'en' });
    expect(english.status).toBe(409);
    expect(english.body.error.message).toBe('This account change is already marked as handled.');
    expect(await snapshot()).toEqual(before);
  });

  it('marks a change once when two offices mark it at the same moment', async () => {
    const id = await setAside(estateA, tonoId, '2026-11-30T05:00:00.000Z');
    const answers = await Promise.all([adminA.post(path(estateA, id)), platform.post(path(estateA, id)), adminA.post(path(estateA, id))]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    expect(await db()('audit_log').where({ action: 'sync.set_aside.handled', entity_id: id })).toHaveLength(1);
  });

  it('answers 404 to an unknown id and to another estate’s change, and changes nothing', async () => {
    const theirs = await setAside(estateB, tonoId, '2026-11-30T06:00:00.000Z');
    const before = await snapshot();
    for (const [estateId, id] of [
      [estateA, newId()],
      [estateA, theirs],
      [estateA, 'bukan-id'],
      [estateB, theirs],
    ]) {
      const res = await adminA.post(path(estateId, id));
      expect(res.status, `${estateId} ${id}: ${res.text}`).toBe(404);
      expect(res.body.error.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
    const long = await adminA.post(path(estateA, 'x'.repeat(300)));
    expect(long.status).toBeGreaterThanOrEqual(400);
    expect(long.status).toBeLessThan(500);
    const nul = await adminA.post(path(estateA, '%00'));
    expect(nul.status).toBeGreaterThanOrEqual(400);
    expect(nul.status).toBeLessThan(500);
    expect(await snapshot()).toEqual(before);
    expect(await listed(platform, estateB)).toEqual([theirs]);
  });

  it('refuses with 403 the roles that may read sync but not manage it, and writes nothing', async () => {
    const id = await setAside(estateA, tonoId, '2026-11-30T07:00:00.000Z');
    const before = await snapshot();
    for (const client of [treasurer, staff]) {
      const res = await client.post(path(estateA, id));
      expect(res.status, res.text).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await apiClient(server.url).post(path(estateA, id))).status).toBe(401);
    expect(await snapshot()).toEqual(before);
    expect(await listed(treasurer, estateA)).toContain(id);
  });
});
