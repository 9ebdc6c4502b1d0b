import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * What an estate's administrators do to their members: change a role, switch a member off and on, hand out a one-time
 * password link, resend an invite. Tried as an attacker: from another estate, as a lesser role, against the last
 * administrator, with a used, replaced or expired link.
 */
let server: TestServer;
let platform: ApiClient;
let estateA: string;
let estateB: string;
let adminA: Awaited<ReturnType<typeof userWithRole>>;
let adminB: Awaited<ReturnType<typeof userWithRole>>;

beforeAll(async () => {
  server = await startTestServer({ publicUrl: 'http://192.168.1.20:8080', options: { loginRateLimitPerMinute: 1000 } });
  const s = await setupEstate(server.url, 'Perumahan A');
  platform = s.client;
  estateA = s.estateId;
  estateB = (await platform.post('/estates', { name: 'Perumahan B' })).body.id;
  adminA = await userWithRole(server.url, platform, estateA, 'estate_admin', { phone: '0812-3456-7890' });
  adminB = await userWithRole(server.url, platform, estateB, 'estate_admin');
});
afterAll(async () => {
  await server.close();
});

const k = () => server.db.knex;

async function membershipOf(estateId: string, userId: string, role?: string): Promise<string> {
  const q = k()('memberships').where({ estate_id: estateId, user_id: userId }).whereNull('deleted_at');
  const row = await (role ? q.where({ role }) : q).first('id');
  return row.id as string;
}

async function member(role: string, estateId = estateA, admin: ApiClient = adminA.client, extra: Record<string, unknown> = {}) {
  const u = await userWithRole(server.url, admin, estateId, role, extra);
  return { ...u, membershipId: await membershipOf(estateId, u.userId, role) };
}

const base = (estateId: string, membershipId: string) => `/estates/${estateId}/memberships/${membershipId}`;

describe('changing a role', () => {
  it('lets an estate admin turn a treasurer into staff, which then loses the money routes at once', async () => {
    const t = await member('treasurer');
    expect((await t.client.get(`/estates/${estateA}/cashbook/accounts`)).status).toBe(200);
    const res = await adminA.client.post(`${base(estateA, t.membershipId)}/role`, { role: 'staff' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ membership_id: t.membershipId, role: 'staff', deactivated_at: null });
    const list = await adminA.client.get(`/estates/${estateA}/users`);
    expect(list.body.items.find((u: { membership_id: string }) => u.membership_id === t.membershipId).role).toBe('staff');
    expect((await t.client.post(`/estates/${estateA}/units`, { code: 'Z-1' })).status).toBe(403);
  });

  it('refuses treasurers and staff (403) and unknown roles (400), writing nothing', async () => {
    const s = await member('staff');
    const t = await member('treasurer');
    expect((await t.client.post(`${base(estateA, s.membershipId)}/role`, { role: 'estate_admin' })).status).toBe(403);
    expect((await s.client.post(`${base(estateA, s.membershipId)}/role`, { role: 'estate_admin' })).status).toBe(403);
    const bad = await adminA.client.post(`${base(estateA, s.membershipId)}/role`, { role: 'platform_admin' });
    expect(bad.status).toBe(400);
    expect((await k()('memberships').where({ id: s.membershipId }).first()).role).toBe('staff');
  });

  it('does not swap a resident for an office role (422 ROLE_CHANGE_NOT_ALLOWED)', async () => {
    const r = await member('resident');
    const res = await adminA.client.post(`${base(estateA, r.membershipId)}/role`, { role: 'treasurer' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ROLE_CHANGE_NOT_ALLOWED');
  });
});

describe('another estate', () => {
  it("answers 404 to an admin of estate B reaching estate A's members through B's path, and changes nothing", async () => {
    const victim = await member('treasurer');
    for (const action of ['role', 'deactivate', 'reactivate', 'password-reset', 'invite']) {
      const res = await adminB.client.post(`${base(estateB, victim.membershipId)}/${action}`, { role: 'guard' });
      expect(res.status, `${action}: ${res.text}`).toBe(404);
    }
    // A's own path is not B's admin's estate at all.
    const direct = await adminB.client.post(`${base(estateA, victim.membershipId)}/deactivate`);
    expect([403, 404]).toContain(direct.status);
    const row = await k()('memberships').where({ id: victim.membershipId }).first();
    expect(row).toMatchObject({ role: 'treasurer', deactivated_at: null });
    expect(await k()('password_resets').where({ user_id: victim.userId }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('refuses a reset link for an account that also belongs to another estate (ACCOUNT_OUTSIDE_ESTATE)', async () => {
    const both = await member('staff');
    // The same person is a treasurer in estate B too (invited there, accepted with their own password): estate A must
    // not be able to take that account over.
    const invited = await adminB.client.post(`/estates/${estateB}/users`, { name: 'Staf Bersama', email: both.email, role: 'treasurer' });
    expect(invited.status, invited.text).toBe(201);
    const accepted = await both.client.post(`/membership-invitations/${invited.body.membership_invitation.id}/accept`);
    expect(accepted.status, accepted.text).toBe(200);
    const res = await adminA.client.post(`${base(estateA, both.membershipId)}/password-reset`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACCOUNT_OUTSIDE_ESTATE');
    // Switching them off in A ends their role in A only: their session keeps working for B.
    expect((await adminA.client.post(`${base(estateA, both.membershipId)}/deactivate`)).status).toBe(200);
    const me = await both.client.get('/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.memberships.map((m: { estate_id: string }) => m.estate_id)).toEqual([estateB]);
    expect((await both.client.get(`/estates/${estateA}/units`)).status).toBe(404);
    expect((await both.client.get(`/estates/${estateB}/units`)).status).toBe(200);
  });
});

describe('the last administrator', () => {
  it('cannot be demoted or switched off, by themselves or anyone (409 LAST_ADMIN)', async () => {
    const estate = (await platform.post('/estates', { name: 'Perumahan C' })).body.id as string;
    const only = await userWithRole(server.url, platform, estate, 'estate_admin');
    const mid = await membershipOf(estate, only.userId);
    // The estate's creator was its first admin; switched off, the new admin is the only one left.
    const platformAdminId = (await k()('users').where({ email: ADMIN.email }).first('id')).id;
    expect((await only.client.post(`${base(estate, await membershipOf(estate, platformAdminId))}/deactivate`)).status).toBe(200);
    const demote = await only.client.post(`${base(estate, mid)}/role`, { role: 'treasurer' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('LAST_ADMIN');
    const off = await only.client.post(`${base(estate, mid)}/deactivate`);
    expect(off.status).toBe(409);
    expect(off.body.error.code).toBe('LAST_ADMIN');
    expect(await k()('memberships').where({ id: mid }).first()).toMatchObject({ role: 'estate_admin', deactivated_at: null });
  });

  it('of two admins demoting each other at once, exactly one succeeds', async () => {
    const estate = (await platform.post('/estates', { name: 'Perumahan D' })).body.id as string;
    const a = await userWithRole(server.url, platform, estate, 'estate_admin');
    const b = await userWithRole(server.url, platform, estate, 'estate_admin');
    const platformAdminId = (await k()('users').where({ email: ADMIN.email }).first('id')).id;
    expect((await a.client.post(`${base(estate, await membershipOf(estate, platformAdminId))}/deactivate`)).status).toBe(200);
    const [ra, rb] = await Promise.all([
      a.client.post(`${base(estate, await membershipOf(estate, b.userId))}/deactivate`),
      b.client.post(`${base(estate, await membershipOf(estate, a.userId))}/role`, { role: 'staff' }),
    ]);
    // The loser is refused as the last admin, or (switched off first) no longer signed in at all.
    expect([ra.status, rb.status].filter((status) => status === 200)).toHaveLength(1);
    expect([ra.status, rb.status].find((status) => status !== 200)).toBeOneOf([401, 409]);
    const admins = await k()('memberships').where({ estate_id: estate, role: 'estate_admin' }).whereNull('deactivated_at');
    expect(admins).toHaveLength(1);
  });
});

describe('switching a member off and on', () => {
  it("ends the member's sessions and tokens at once and refuses their password; reactivating restores the role", async () => {
    const g = await member('staff');
    const token = (await apiClient(server.url).post('/auth/token', { login: g.email, password: g.password })).body.token;
    const bearer = apiClient(server.url).withBearer(token);
    expect((await bearer.get(`/estates/${estateA}/units`)).status).toBe(200);

    const off = await adminA.client.post(`${base(estateA, g.membershipId)}/deactivate`);
    expect(off.status, off.text).toBe(200);
    expect(off.body.deactivated_at).toEqual(expect.any(String));
    expect((await g.client.get('/auth/me')).status).toBe(401);
    expect((await bearer.get(`/estates/${estateA}/units`)).status).toBe(401);
    // Signing in again gives no role in the estate.
    const again = apiClient(server.url);
    await again.post('/auth/login', { login: g.email, password: g.password });
    expect((await again.get(`/estates/${estateA}/units`)).status).toBe(404);
    // A switched-off member gets no reset link either.
    const link = await adminA.client.post(`${base(estateA, g.membershipId)}/password-reset`);
    expect(link.body.error.code).toBe('MEMBER_DEACTIVATED');

    const on = await adminA.client.post(`${base(estateA, g.membershipId)}/reactivate`);
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ role: 'staff', deactivated_at: null });
    expect((await again.get(`/estates/${estateA}/units`)).status).toBe(200);
  });
});

describe('one-time password links', () => {
  it('sets a new password once: old password and old sessions end, a replay is refused with RESET_LINK_USED', async () => {
    const t = await member('treasurer', estateA, adminA.client, { phone: '0813-1111-2222' });
    const res = await adminA.client.post(`${base(estateA, t.membershipId)}/password-reset`);
    expect(res.status, res.text).toBe(201);
    expect(res.body.url).toMatch(/^http:\/\/192\.168\.1\.20:8080\/portal\/reset\/[A-Za-z0-9_-]{40,}$/);
    expect(res.body.whatsapp_url).toMatch(/^https:\/\/wa\.me\/6281311112222\?text=/);
    expect(decodeURIComponent(res.body.whatsapp_url)).toContain(res.body.url);
    const token = res.body.url.split('/').pop() as string;
    // Hashed at rest: the token itself is nowhere in the database.
    const stored = await k()('password_resets').where({ user_id: t.userId });
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);
    const audited = JSON.stringify(await k()('audit_log').where({ entity_table: 'password_resets' }));
    expect(audited).toContain(stored[0].id);
    expect(audited).not.toContain(stored[0].token_hash);

    const visitor = apiClient(server.url);
    const info = await visitor.get(`/password-resets/${token}`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ name: expect.stringContaining('treasurer'), estate_name: 'Perumahan A' });

    expect((await visitor.post(`/password-resets/${token}`, { password: 'short' })).status).toBe(400);
    const used = await visitor.post(`/password-resets/${token}`, { password: 'sandi-baru-123' });
    expect(used.status, used.text).toBe(200);
    expect(used.body.memberships[0]).toMatchObject({ estate_id: estateA, role: 'treasurer' });
    expect((await visitor.get('/auth/me')).status).toBe(200);
    expect((await t.client.get('/auth/me')).status).toBe(401);
    expect((await apiClient(server.url).post('/auth/login', { login: t.email, password: t.password })).status).toBe(401);
    expect((await apiClient(server.url).post('/auth/login', { login: t.email, password: 'sandi-baru-123' })).status).toBe(200);

    const replay = await apiClient(server.url).post(`/password-resets/${token}`, { password: 'penyerang-123' });
    expect(replay.status).toBe(410);
    expect(replay.body.error.code).toBe('RESET_LINK_USED');
    expect((await apiClient(server.url).get(`/password-resets/${token}`)).body.error.code).toBe('RESET_LINK_USED');
    expect((await apiClient(server.url).post('/auth/login', { login: t.email, password: 'penyerang-123' })).status).toBe(401);
  });

  it('refuses an expired link, a replaced link and a made-up one with stable codes, writing nothing', async () => {
    const s = await member('staff');
    const first = (await adminA.client.post(`${base(estateA, s.membershipId)}/password-reset`)).body.url.split('/').pop();
    const second = (await adminA.client.post(`${base(estateA, s.membershipId)}/password-reset`)).body.url.split('/').pop();
    const replaced = await apiClient(server.url).post(`/password-resets/${first}`, { password: 'sandi-baru-123' });
    expect(replaced.status).toBe(410);
    expect(replaced.body.error.code).toBe('RESET_LINK_EXPIRED');

    await k()('password_resets').where({ user_id: s.userId }).whereNull('revoked_at').update({ expires_at: '2000-01-01T00:00:00.000Z' });
    const expired = await apiClient(server.url).post(`/password-resets/${second}`, { password: 'sandi-baru-123' });
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('RESET_LINK_EXPIRED');

    const madeUp = await apiClient(server.url).post(`/password-resets/${'x'.repeat(43)}`, { password: 'sandi-baru-123' });
    expect(madeUp.status).toBe(404);
    expect(madeUp.body.error.code).toBe('RESET_LINK_INVALID');
    expect((await apiClient(server.url).get('/password-resets/%00')).status).toBe(400);

    expect((await apiClient(server.url).post('/auth/login', { login: s.email, password: s.password })).status).toBe(200);
  });

  it('of two uses of one link at once, exactly one sets its password', async () => {
    const s = await member('staff');
    const token = (await adminA.client.post(`${base(estateA, s.membershipId)}/password-reset`)).body.url.split('/').pop();
    const results = await Promise.all(
      ['sandi-satu-123', 'sandi-dua-1234'].map((password) => apiClient(server.url).post(`/password-resets/${token}`, { password })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
  });

  it('is for administrators only and not for the platform administrator', async () => {
    const t = await member('treasurer');
    const s = await member('staff');
    expect((await t.client.post(`${base(estateA, s.membershipId)}/password-reset`)).status).toBe(403);
    const platformAdminId = (await k()('users').where({ email: ADMIN.email }).first('id')).id;
    const pm = await membershipOf(estateA, platformAdminId);
    const res = await adminA.client.post(`${base(estateA, pm)}/password-reset`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACCOUNT_OUTSIDE_ESTATE');
  });
});

describe('resending an invite', () => {
  it('sends the open code again, and a one-time link that activates the account once the code lapsed', async () => {
    const created = await adminA.client.post(`/estates/${estateA}/users`, {
      name: 'Pak Satpam Baru',
      phone: '0812-9999-0001',
      role: 'guard',
    });
    expect(created.status).toBe(201);
    const mid = await membershipOf(estateA, created.body.user.id);
    const again = await adminA.client.post(`${base(estateA, mid)}/invite`);
    expect(again.status, again.text).toBe(200);
    expect(again.body.code).toBe(created.body.invite.code);
    expect(again.body.whatsapp_url).toContain('wa.me/6281299990001');

    await k()('invites').where({ user_id: created.body.user.id }).update({ expires_at: '2000-01-01T00:00:00.000Z' });
    const lapsed = await adminA.client.post(`${base(estateA, mid)}/invite`);
    expect(lapsed.status).toBe(200);
    expect(lapsed.body.code).toBeNull();
    const token = lapsed.body.url.split('/').pop();
    const visitor = apiClient(server.url);
    expect((await visitor.post(`/password-resets/${token}`, { password: 'sandi-satpam-1' })).status).toBe(200);
    expect((await k()('users').where({ id: created.body.user.id }).first()).status).toBe('active');
    // The old code cannot set a password any more.
    expect((await apiClient(server.url).get(`/invites/${created.body.invite.code}`)).status).toBe(404);

    const active = await adminA.client.post(`${base(estateA, mid)}/invite`);
    expect(active.status).toBe(409);
    expect(active.body.error.code).toBe('NOT_INVITED');
  });

  it('lets a treasurer resend a resident invite but not an office one', async () => {
    const t = await member('treasurer');
    const resident = (await adminA.client.post(`/estates/${estateA}/residents`, { name: 'Bu Warga' })).body.id;
    const r = await adminA.client.post(`/estates/${estateA}/users`, {
      name: 'Bu Warga',
      phone: '0812-9999-0002',
      role: 'resident',
      resident_id: resident,
    });
    const s = await adminA.client.post(`/estates/${estateA}/users`, { name: 'Pak Staf', phone: '0812-9999-0003', role: 'staff' });
    expect((await t.client.post(`${base(estateA, await membershipOf(estateA, r.body.user.id))}/invite`)).status).toBe(200);
    const office = await t.client.post(`${base(estateA, await membershipOf(estateA, s.body.user.id))}/invite`);
    expect(office.status).toBe(403);
  });
});

describe('rate limits', () => {
  it('limits opening reset links per address (429 RATE_LIMITED)', async () => {
    const limited = await startTestServer({ options: { loginRateLimitPerMinute: 3 } });
    try {
      const client = apiClient(limited.url);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await client.get(`/password-resets/${'y'.repeat(43)}`)).status);
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      expect((await client.post(`/password-resets/${'y'.repeat(43)}`, { password: 'sandi-baru-123' })).body.error.code).toBe(
        'RATE_LIMITED',
      );
    } finally {
      await limited.close();
    }
  });
});
