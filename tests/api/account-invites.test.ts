import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, ScopedStore } from '../../server/db/scoped-store.ts';
import { apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * Invites and estate memberships between two estates: an invite code only ever activates the new account it was
 * made for; a person who already has an account is asked to join, never attached, and their details stay private.
 */
let server: TestServer;
let platform: ApiClient;
let estateA: string;
let estateB: string;
let adminA: ApiClient;
let residentA: string;

const PENDING_B_ADMIN = { name: 'Pak Budi Admin B', email: 'budi.admin@b.id', phone: '0812-7000-0001' };

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  const s = await setupEstate(server.url, 'Perumahan A');
  platform = s.client;
  estateA = s.estateId;
  estateB = (await platform.post('/estates', { name: 'Perumahan B' })).body.id;
  // Estate A's administrator is an ordinary estate admin, not the platform admin.
  adminA = (await userWithRole(server.url, platform, estateA, 'estate_admin')).client;
  residentA = (await adminA.post(`/estates/${estateA}/residents`, { name: 'Warga A-1' })).body.id;
});
afterAll(async () => {
  await server.close();
});

async function invitedUser(
  admin: ApiClient,
  estateId: string,
  person: { name: string; email: string; phone?: string },
  role = 'estate_admin',
) {
  const res = await admin.post(`/estates/${estateId}/users`, { ...person, role });
  expect(res.status, res.text).toBe(201);
  expect(res.body.invite.code).toMatch(/^[2-9A-HJ-NP-Z]{16}$/);
  return { userId: res.body.user.id as string, code: res.body.invite.code as string };
}

const k = () => server.db.knex;
/** Writes a row as an older server would have, journaled like every write (KLUSTERA_CHECK_OUTBOX checks it). */
const storeOf = (estateId: string) => new ScopedStore(k(), estateId, SYSTEM_ACTOR, server.app.sync);

describe('adding a person who already has an account', () => {
  it("does not let estate A take over estate B's pending administrator: no code, no membership, a pending invitation", async () => {
    const b = await invitedUser(platform, estateB, PENDING_B_ADMIN);
    const res = await adminA.post(`/estates/${estateA}/users`, {
      name: 'Siapa Saja',
      email: PENDING_B_ADMIN.email,
      role: 'resident',
      resident_id: residentA,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.invite).toBeUndefined();
    expect(res.body.user).toBeNull();
    expect(res.body.membership_invitation).toMatchObject({
      name: 'Siapa Saja',
      email: PENDING_B_ADMIN.email,
      role: 'resident',
      status: 'pending',
    });
    // Nothing about the existing account comes back: not its id, name, phone or status.
    for (const secret of [b.userId, PENDING_B_ADMIN.name, '+6281270000001', 'invited']) expect(res.text).not.toContain(secret);

    expect(await k()('invites').where({ user_id: b.userId }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await k()('memberships').where({ user_id: b.userId, estate_id: estateA })).toEqual([]);

    // The one real invite still activates B's administrator, who then sees A's invitation and may accept it.
    const budi = apiClient(server.url);
    expect((await budi.post(`/invites/${b.code}/accept`, { password: 'budi-rahasia-1' })).status).toBe(200);
    expect((await budi.get(`/estates/${estateA}/residents`)).status).toBe(404);
    const mine = await budi.get('/membership-invitations');
    expect(mine.body.items).toEqual([expect.objectContaining({ estate_id: estateA, estate_name: 'Perumahan A', role: 'resident' })]);
    const accepted = await budi.post(`/membership-invitations/${mine.body.items[0].id}/accept`);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.memberships).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ estate_id: estateA, role: 'resident', resident_id: residentA }),
        expect.objectContaining({ estate_id: estateB, role: 'estate_admin' }),
      ]),
    );
    expect((await budi.post(`/membership-invitations/${mine.body.items[0].id}/accept`)).body.error.code).toBe('INVITATION_ANSWERED');
  });

  it('grants nothing while the invitation is pending, and nothing after it is declined', async () => {
    const person = await userWithRole(server.url, platform, estateB, 'staff');
    const res = await adminA.post(`/estates/${estateA}/users`, { name: 'Staf B', email: person.email, role: 'treasurer' });
    expect(res.status, res.text).toBe(201);
    expect((await person.client.get(`/estates/${estateA}/payments`)).status).toBe(404);
    expect((await person.client.get('/auth/me')).body.memberships.map((m: { estate_id: string }) => m.estate_id)).toEqual([estateB]);

    const [inv] = (await person.client.get('/membership-invitations')).body.items;
    // Someone else cannot answer it.
    expect((await adminA.post(`/membership-invitations/${inv.id}/accept`)).status).toBe(404);
    expect((await person.client.post(`/membership-invitations/${inv.id}/decline`)).status).toBe(204);
    expect((await person.client.post(`/membership-invitations/${inv.id}/accept`)).status).toBe(409);
    expect((await person.client.get(`/estates/${estateA}/payments`)).status).toBe(404);
    expect((await person.client.get('/membership-invitations')).body.items).toEqual([]);
  });

  it('does not sign anyone in with a second invite for an active account (also one minted before this rule)', async () => {
    const active = await userWithRole(server.url, platform, estateB, 'treasurer');
    const again = await adminA.post(`/estates/${estateA}/users`, {
      name: 'Bendahara B',
      email: active.email,
      role: 'resident',
      resident_id: residentA,
    });
    expect(again.body.invite).toBeUndefined();

    const legacy = 'LEGACYCODE234567';
    await storeOf(estateA).appendOnly('invites', {
      user_id: active.userId,
      code: legacy,
      role: 'resident',
      created_by: null,
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      created_at: new Date().toISOString(),
    });
    expect((await apiClient(server.url).get(`/invites/${legacy}`)).status).toBe(404);
    const attacker = apiClient(server.url);
    expect((await attacker.post(`/invites/${legacy}/accept`, { password: 'penyerang-123' })).status).toBe(404);
    expect((await attacker.get('/auth/me')).status).toBe(401);
    expect((await apiClient(server.url).post('/auth/login', { login: active.email, password: active.password })).status).toBe(200);
    expect((await apiClient(server.url).post('/auth/login', { login: active.email, password: 'penyerang-123' })).status).toBe(401);
  });

  it("refuses a later invite code for a still-pending account: only the account's first invite can activate it", async () => {
    const pending = await invitedUser(adminA, estateA, { name: 'Calon Admin', email: 'calon@a.id' });
    const legacy = 'LATERCODE2345678';
    await storeOf(estateB).appendOnly('invites', {
      user_id: pending.userId,
      code: legacy,
      role: 'resident',
      created_by: null,
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect((await apiClient(server.url).post(`/invites/${legacy}/accept`, { password: 'penyerang-123' })).status).toBe(404);
    expect((await apiClient(server.url).post(`/invites/${pending.code}/accept`, { password: 'calon-rahasia-1' })).status).toBe(200);
  });
});

describe('a treasurer cannot raise anyone, themself included', () => {
  it('cannot give office roles, and cannot take over a pending administrator through a resident link', async () => {
    const treasurer = await userWithRole(server.url, adminA, estateA, 'treasurer');
    const pendingAdmin = await invitedUser(adminA, estateA, { name: 'Admin Baru', email: 'admin-baru@a.id' });

    for (const role of ['estate_admin', 'treasurer', 'staff', 'guard']) {
      const res = await treasurer.client.post(`/estates/${estateA}/users`, {
        name: 'X',
        email: `x-${role}@a.id`,
        role,
        password: 'rahasia-x-123',
      });
      expect(res.status, role).toBe(403);
      expect(res.body.error.code).toBe('ROLE_NOT_ALLOWED');
    }
    const viaResident = await treasurer.client.post(`/estates/${estateA}/users`, {
      name: 'Admin Baru',
      email: 'admin-baru@a.id',
      role: 'resident',
      resident_id: residentA,
    });
    expect(viaResident.status, viaResident.text).toBe(201);
    expect(viaResident.body.invite).toBeUndefined();
    expect(await k()('invites').where({ user_id: pendingAdmin.userId }).count({ n: '*' })).toEqual([{ n: 1 }]);

    // Linking themself to a resident only ever adds the resident role, after their own acceptance.
    const self = await treasurer.client.post(`/estates/${estateA}/users`, {
      name: 'Saya',
      email: treasurer.email,
      role: 'resident',
      resident_id: residentA,
    });
    expect(self.status, self.text).toBe(201);
    const [inv] = (await treasurer.client.get('/membership-invitations')).body.items;
    const accepted = await treasurer.client.post(`/membership-invitations/${inv.id}/accept`);
    expect(accepted.body.memberships.map((m: { role: string }) => m.role).sort()).toEqual(['resident', 'treasurer']);
    expect((await treasurer.client.get(`/estates/${estateA}/users`)).status).toBe(403);
  });
});

describe('an estate admin looking up people of another estate', () => {
  it('learns nothing about a member of another estate beyond "an invitation was sent"', async () => {
    const other = await userWithRole(server.url, platform, estateB, 'staff', { phone: '0813-5555-0001' });
    const res = await adminA.post(`/estates/${estateA}/users`, { name: 'Tebakan', phone: '0813-5555-0001', role: 'staff' });
    expect(res.status, res.text).toBe(201);
    for (const secret of [other.userId, other.email, 'active', 'last_login']) expect(res.text).not.toContain(secret);

    const list = await adminA.get(`/estates/${estateA}/users`);
    expect(list.text).not.toContain(other.userId);
    expect(list.text).not.toContain(other.email);
    expect(list.body.pending_invitations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Tebakan', phone: '+6281355550001', email: null, role: 'staff', status: 'pending' }),
      ]),
    );
  });
});

describe('invite codes', () => {
  it('cannot be looked up faster than the login limit allows', async () => {
    const limited = await startTestServer({ options: { loginRateLimitPerMinute: 5 } });
    try {
      const anon = apiClient(limited.url);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await anon.get(`/invites/GUESS${String(i).padStart(6, '2')}`)).status);
      expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      expect((await anon.get('/invites/GUESS999999')).body.error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});
