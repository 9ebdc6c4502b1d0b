import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { platformDb } from '../../server/sync/platform-db.ts';
import { ADMIN, apiClient, type ApiClient, type TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * Accounts and memberships between an office desktop (SQLite) and the hosted instance (PostgreSQL, `pgUrl`): the
 * estate's people sign in on both sides with one e-mail and password, role changes and removals reach the other side,
 * and a tampered desktop can neither make a platform administrator, nor change the sign-in of an account that also
 * belongs to another estate, nor write a membership of another estate or attach someone else's account.
 */

let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
let cloudHomeEstate: string;
let token: string;
let treasurer: { userId: string; membershipId: string; email: string; password: string };
let resident: { userId: string; membershipId: string; email: string; password: string };
const e = (p: string) => `/estates/${estateId}${p}`;
const db = (server: TestServer) => platformDb(server.app);

async function syncUntilQuiet() {
  for (let i = 0; i < 4; i++) {
    const run = await office.post(e('/sync/run'));
    expect(run.status, run.text).toBe(200);
    expect(run.body.ok, run.text).toBe(true);
    if (run.body.pushed === 0 && run.body.pulled === 0 && run.body.waiting === 0) return;
  }
  throw new Error('sync did not settle');
}

async function signIn(server: TestServer, login: string, password: string) {
  const client = apiClient(server.url);
  const res = await client.post('/auth/login', { login, password });
  return { client, status: res.status, body: res.body };
}

async function roleOn(server: TestServer, membershipId: string) {
  return (await db(server)('memberships').where({ id: membershipId }).first()) as
    | { role: string; deactivated_at: string | null; user_id: string }
    | undefined;
}

async function count(server: TestServer, table: string): Promise<number> {
  return Number(((await db(server)(table).count({ n: '*' }).first()) as { n: unknown }).n);
}

function push(body: unknown) {
  return cloudAdmin.withBearer(token).post('/sync/push', body);
}

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, office, estateId, cloudHomeEstate } = sites);
  const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
  const linked = await office.post(e('/sync/link'), { cloud_url: cloud.url, code });
  expect(linked.status, linked.text).toBe(201);
  token = (await db(desktop)('sync_links').where({ estate_id: estateId }).first()).token;
  await syncUntilQuiet();
}, 120_000);

afterAll(async () => {
  await sites?.close();
});

describe('accounts and memberships travel with the estate', () => {
  it('a treasurer made on the desktop signs in on the hosted instance after a cycle', async () => {
    const email = 'sari@griya-asri.id';
    const password = 'rahasia-sari-1';
    const made = await office.post(e('/users'), { name: 'Bu Sari', email, role: 'treasurer', password });
    expect(made.status, made.text).toBe(201);
    const userId = made.body.user.id as string;
    const membershipId = (await db(desktop)('memberships').where({ user_id: userId, estate_id: estateId }).first()).id as string;
    treasurer = { userId, membershipId, email, password };
    expect((await signIn(cloud, email, password)).status).toBe(401);

    await syncUntilQuiet();
    const there = await signIn(cloud, email, password);
    expect(there.status, JSON.stringify(there.body)).toBe(200);
    expect(there.body.user.id).toBe(userId);
    expect(there.body.memberships).toMatchObject([{ estate_id: estateId, role: 'treasurer' }]);
    expect((await there.client.get(e('/payments'))).status).toBe(200);
    // Site-local columns stay where they were written: the hosted sign-in is not the desktop's.
    const cloudRow = await db(cloud)('users').where({ id: userId }).first();
    expect(cloudRow.last_login_at).not.toBeNull();
    expect((await db(desktop)('users').where({ id: userId }).first()).last_login_at).toBeNull();
    expect(Boolean(cloudRow.is_platform_admin)).toBe(false);
  });

  it("a resident's account made on the hosted instance signs in on the desktop's LAN portal", async () => {
    const residentId = (await office.post(e('/residents'), { name: 'Pak Budi' })).body.id as string;
    await syncUntilQuiet();
    const email = 'budi@uji.id';
    const password = 'rahasia-warga-1';
    const made = await cloudAdmin.post(e('/users'), { name: 'Pak Budi', email, role: 'resident', password, resident_id: residentId });
    expect(made.status, made.text).toBe(201);
    const userId = made.body.user.id as string;
    const membershipId = (await db(cloud)('memberships').where({ user_id: userId, estate_id: estateId }).first()).id as string;
    resident = { userId, membershipId, email, password };
    expect((await signIn(desktop, email, password)).status).toBe(401);

    await syncUntilQuiet();
    const lan = await signIn(desktop, email, password);
    expect(lan.status, JSON.stringify(lan.body)).toBe(200);
    expect(lan.body.memberships).toMatchObject([{ estate_id: estateId, role: 'resident', resident_id: residentId }]);
    expect((await lan.client.get(e('/portal/notifications'))).status).toBe(200);
    // The hosted instance's administrator, a member of no estate here, never reached the desktop.
    const cloudAdminId = (await cloudAdmin.get('/auth/me')).body.user.id as string;
    expect(await db(desktop)('users').where({ id: cloudAdminId }).first()).toBeUndefined();
  });

  it('a role change on the desktop reaches the hosted instance, and one there reaches the desktop', async () => {
    const toStaff = await office.post(e(`/memberships/${treasurer.membershipId}/role`), { role: 'staff' });
    expect(toStaff.status, toStaff.text).toBe(200);
    await syncUntilQuiet();
    expect((await roleOn(cloud, treasurer.membershipId))?.role).toBe('staff');
    const there = await signIn(cloud, treasurer.email, treasurer.password);
    expect((await there.client.get('/auth/me')).body.memberships).toMatchObject([{ estate_id: estateId, role: 'staff' }]);

    const back = await cloudAdmin.post(e(`/memberships/${treasurer.membershipId}/role`), { role: 'treasurer' });
    expect(back.status, back.text).toBe(200);
    await syncUntilQuiet();
    expect((await roleOn(desktop, treasurer.membershipId))?.role).toBe('treasurer');
    expect((await roleOn(cloud, treasurer.membershipId))?.role).toBe('treasurer');
  });

  it('a member switched off on the desktop loses access on the hosted instance, sessions there included', async () => {
    const there = await signIn(cloud, treasurer.email, treasurer.password);
    expect((await there.client.get(e('/payments'))).status).toBe(200);
    const off = await office.post(e(`/memberships/${treasurer.membershipId}/deactivate`));
    expect(off.status, off.text).toBe(200);
    await syncUntilQuiet();
    expect((await roleOn(cloud, treasurer.membershipId))?.deactivated_at).not.toBeNull();
    expect([401, 403, 404]).toContain((await there.client.get(e('/payments'))).status);
    const open = await db(cloud)('sessions').where({ user_id: treasurer.userId }).whereNull('revoked_at');
    expect(open).toEqual([]);
  });

  it('a resident removed on the hosted instance loses the LAN portal, sessions there included', async () => {
    const lan = await signIn(desktop, resident.email, resident.password);
    expect((await lan.client.get(e('/portal/notifications'))).status).toBe(200);
    const off = await cloudAdmin.post(e(`/memberships/${resident.membershipId}/deactivate`));
    expect(off.status, off.text).toBe(200);
    await syncUntilQuiet();
    expect((await roleOn(desktop, resident.membershipId))?.deactivated_at).not.toBeNull();
    expect([401, 403, 404]).toContain((await lan.client.get(e('/portal/notifications'))).status);
    expect(await db(desktop)('sessions').where({ user_id: resident.userId }).whereNull('revoked_at')).toEqual([]);
  });

  it("an account whose e-mail is another account's on the other side is held back: no duplicate, no takeover", async () => {
    // Both sites were set up by an administrator with the same e-mail: two accounts, two ids.
    const desktopAdmin = (await office.get('/auth/me')).body.user.id as string;
    const cloudAdminRow = await db(cloud)('users').where({ email: ADMIN.email }).first();
    expect(cloudAdminRow.id).not.toBe(desktopAdmin);
    expect(await db(cloud)('users').where({ id: desktopAdmin }).first()).toBeUndefined();
    expect(await db(cloud)('memberships').where({ user_id: desktopAdmin })).toEqual([]);
    expect((await db(cloud)('users').where({ email: ADMIN.email }).whereNull('deleted_at')).length).toBe(1);
    expect((await db(cloud)('users').where({ id: cloudAdminRow.id }).first()).password_hash).toBe(cloudAdminRow.password_hash);
    expect((await signIn(cloud, ADMIN.email, ADMIN.password)).status).toBe(200);
  });
});

describe('a tampered desktop batch about accounts is refused and writes nothing', () => {
  async function expectRefused(batchId: string, changes: unknown[], code: string) {
    const before = await Promise.all(['users', 'memberships', 'audit_log', 'outbox', 'sessions'].map((t) => count(cloud, t)));
    const res = await push({ batch_id: batchId, changes });
    expect(res.status, res.text).toBe(403);
    expect(res.body.error.code).toBe(code);
    const after = await Promise.all(['users', 'memberships', 'audit_log', 'outbox', 'sessions'].map((t) => count(cloud, t)));
    expect(after).toEqual(before);
    expect(await db(cloud)('sync_batches').where({ id: batchId }).first()).toBeUndefined();
  }

  const hlc = () => `${String(Date.now()).padStart(15, '0')}-00000-site-x`;

  it('(a) refuses to make a platform administrator, by the flag or by a platform role', async () => {
    const row = await db(desktop)('users').where({ id: treasurer.userId }).first();
    const { last_login_at: _l, failed_logins: _f, locked_until: _u, ...carried } = row;
    await expectRefused(
      'tampered-admin-flag',
      [{ table: 'users', row_id: row.id, op: 'update', hlc: hlc(), site_id: 'site-x', row: { ...carried, is_platform_admin: true } }],
      'SYNC_PLATFORM_ADMIN_REFUSED',
    );
    const fresh = { ...carried, id: 'u-new-admin', email: 'baru@uji.id', is_platform_admin: 1 };
    await expectRefused(
      'tampered-admin-new',
      [{ table: 'users', row_id: fresh.id, op: 'insert', hlc: hlc(), site_id: 'site-x', row: fresh }],
      'SYNC_PLATFORM_ADMIN_REFUSED',
    );
    const membership = await db(desktop)('memberships').where({ id: treasurer.membershipId }).first();
    await expectRefused(
      'tampered-admin-role',
      [
        {
          table: 'memberships',
          row_id: membership.id,
          op: 'update',
          hlc: hlc(),
          site_id: 'site-x',
          row: { ...membership, role: 'platform_admin' },
        },
      ],
      'SYNC_PLATFORM_ADMIN_REFUSED',
    );
    expect(Boolean((await db(cloud)('users').where({ id: treasurer.userId }).first()).is_platform_admin)).toBe(false);
  });

  it('(b) refuses to change the password of an account that also belongs to another estate, and lets it pass unchanged', async () => {
    // The treasurer, switched on again, also joins the hosted administrator's own estate there (an invitation she accepts).
    expect((await office.post(e(`/memberships/${treasurer.membershipId}/reactivate`))).status).toBe(200);
    await syncUntilQuiet();
    const invited = await cloudAdmin.post(`/estates/${cloudHomeEstate}/users`, { name: 'Bu Sari', email: treasurer.email, role: 'staff' });
    expect(invited.status, invited.text).toBe(201);
    const there = await signIn(cloud, treasurer.email, treasurer.password);
    const accepted = await there.client.post(`/membership-invitations/${invited.body.membership_invitation.id}/accept`);
    expect(accepted.status, accepted.text).toBe(200);

    const hosted = await db(cloud)('users').where({ id: treasurer.userId }).first();
    const row = await db(desktop)('users').where({ id: treasurer.userId }).first();
    const { last_login_at: _l, failed_logins: _f, locked_until: _u, is_platform_admin: _p, ...carried } = row;
    const forged = { ...carried, password_hash: hosted.password_hash.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A')) };
    await expectRefused(
      'tampered-foreign-hash',
      [{ table: 'users', row_id: row.id, op: 'update', hlc: hlc(), site_id: 'site-x', row: forged }],
      'SYNC_ACCOUNT_OUTSIDE_ESTATE',
    );
    await expectRefused(
      'tampered-foreign-email',
      [{ table: 'users', row_id: row.id, op: 'update', hlc: hlc(), site_id: 'site-x', row: { ...carried, email: 'pencuri@uji.id' } }],
      'SYNC_ACCOUNT_OUTSIDE_ESTATE',
    );
    expect((await db(cloud)('users').where({ id: treasurer.userId }).first()).password_hash).toBe(hosted.password_hash);
    expect((await signIn(cloud, treasurer.email, treasurer.password)).status).toBe(200);

    // Her role here still travels both ways; her account's row reaches the desktop without its hash.
    const toStaff = await cloudAdmin.post(e(`/memberships/${treasurer.membershipId}/role`), { role: 'staff' });
    expect(toStaff.status, toStaff.text).toBe(200);
    await syncUntilQuiet();
    expect((await roleOn(desktop, treasurer.membershipId))?.role).toBe('staff');
    expect((await db(desktop)('users').where({ id: treasurer.userId }).first()).password_hash).toBe(row.password_hash);
    const pulled = await cloudAdmin.withBearer(token).post('/sync/pull', { cursor: '' });
    const sent = (pulled.body.changes as { table: string; row_id: string; row: Record<string, unknown> }[]).filter(
      (c) => c.table === 'users' && c.row_id === treasurer.userId,
    );
    expect(sent.length).toBeGreaterThan(0);
    for (const c of sent) expect('password_hash' in c.row).toBe(false);
  });

  it('(c) refuses a membership of another estate, and attaching an account of another estate', async () => {
    const membership = await db(desktop)('memberships').where({ id: treasurer.membershipId }).first();
    await expectRefused(
      'tampered-other-estate',
      [
        {
          table: 'memberships',
          row_id: 'm-other-estate',
          op: 'insert',
          hlc: hlc(),
          site_id: 'site-x',
          row: { ...membership, id: 'm-other-estate', estate_id: cloudHomeEstate, role: 'estate_admin' },
        },
      ],
      'SYNC_FOREIGN_ESTATE',
    );
    // An account of the hosted administrator's estate only, never this estate's, given a role here.
    const stranger = await cloudAdmin.post(`/estates/${cloudHomeEstate}/users`, {
      name: 'Orang Lain',
      email: 'lain@uji.id',
      role: 'staff',
      password: 'rahasia-lain-1',
    });
    expect(stranger.status, stranger.text).toBe(201);
    await expectRefused(
      'tampered-attach',
      [
        {
          table: 'memberships',
          row_id: 'm-attach',
          op: 'insert',
          hlc: hlc(),
          site_id: 'site-x',
          row: { ...membership, id: 'm-attach', user_id: stranger.body.user.id, role: 'estate_admin' },
        },
      ],
      'SYNC_ACCOUNT_OUTSIDE_ESTATE',
    );
    // Nor may a membership of this estate be moved to that account.
    await expectRefused(
      'tampered-move',
      [
        {
          table: 'memberships',
          row_id: membership.id,
          op: 'update',
          hlc: hlc(),
          site_id: 'site-x',
          row: { ...membership, user_id: stranger.body.user.id },
        },
      ],
      'SYNC_ACCOUNT_OUTSIDE_ESTATE',
    );
    const strangerRow = await db(cloud)('users').where({ id: stranger.body.user.id }).first();
    await expectRefused(
      'tampered-stranger-hash',
      [
        {
          table: 'users',
          row_id: strangerRow.id,
          op: 'update',
          hlc: hlc(),
          site_id: 'site-x',
          row: { id: strangerRow.id, name: 'Orang Lain', email: 'lain@uji.id', password_hash: 'x', status: 'active' },
        },
      ],
      'SYNC_ACCOUNT_OUTSIDE_ESTATE',
    );
    expect((await signIn(cloud, 'lain@uji.id', 'rahasia-lain-1')).status).toBe(200);
  });

  it('an account of another estate that joins this one reaches the desktop without its password, and keeps it there', async () => {
    const invited = await cloudAdmin.post(e('/users'), { name: 'Orang Lain', email: 'lain@uji.id', role: 'staff' });
    expect(invited.status, invited.text).toBe(201);
    const there = await signIn(cloud, 'lain@uji.id', 'rahasia-lain-1');
    const accepted = await there.client.post(`/membership-invitations/${invited.body.membership_invitation.id}/accept`);
    expect(accepted.status, accepted.text).toBe(200);
    await syncUntilQuiet();
    const userId = (await db(cloud)('users').where({ email: 'lain@uji.id' }).first()).id as string;
    const row = await db(desktop)('users').where({ id: userId }).first();
    expect(row).toMatchObject({ email: 'lain@uji.id', status: 'active', password_hash: null });
    const membership = await db(desktop)('memberships').where({ user_id: userId, estate_id: estateId }).first();
    expect(membership).toMatchObject({ role: 'staff', deactivated_at: null });
    expect((await signIn(desktop, 'lain@uji.id', 'rahasia-lain-1')).status).toBe(401);
    // The office cannot give it a password here either: the hosted instance would refuse it, and it is not theirs.
    const reset = await office.post(e(`/memberships/${membership.id}/password-reset`));
    expect(reset.status, reset.text).toBe(403);
    expect(reset.body.error.code).toBe('ACCOUNT_OUTSIDE_ESTATE');
  });
});
