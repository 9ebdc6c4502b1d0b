import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { platformDb } from '../../server/sync/platform-db.ts';
import { apiClient, type ApiClient, type TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * An account the office desktop (SQLite) made, so it holds the password hash, that meanwhile joined another estate
 * on the hosted instance (PostgreSQL, `pgUrl`): its e-mail, phone and password are no longer the office's to change.
 * The next pull tells the desktop (the row arrives without the hash), which then refuses such a change itself; a
 * change that was already waiting is set aside for the office to see, and the estate's later changes (a payment)
 * still reach the hosted instance.
 */

let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
let cloudHomeEstate: string;
let unitId: string;
const e = (p: string) => `/estates/${estateId}${p}`;
const db = (server: TestServer) => platformDb(server.app);

async function run() {
  const res = await office.post(e('/sync/run'));
  expect(res.status, res.text).toBe(200);
  return res.body as { ok: boolean; pushed: number; pulled: number; waiting: number; error: { code: string } | null };
}

async function syncUntilQuiet() {
  for (let i = 0; i < 4; i++) {
    const summary = await run();
    expect(summary.ok, JSON.stringify(summary)).toBe(true);
    if (summary.pushed === 0 && summary.pulled === 0 && summary.waiting === 0) return;
  }
  throw new Error('sync did not settle');
}

async function signIn(server: TestServer, login: string, password: string) {
  return (await apiClient(server.url).post('/auth/login', { login, password })).status;
}

/** A member made at the office, with a password, synced to the hosted instance. */
async function officeMember(name: string, email: string, password: string) {
  const made = await office.post(e('/users'), { name, email, role: 'treasurer', password });
  expect(made.status, made.text).toBe(201);
  const userId = made.body.user.id as string;
  const membershipId = (await db(desktop)('memberships').where({ user_id: userId, estate_id: estateId }).first()).id as string;
  await syncUntilQuiet();
  expect(await signIn(cloud, email, password)).toBe(200);
  return { userId, membershipId, email, password };
}

/** On the hosted instance the account accepts an invitation into the hosted administrator's own estate. */
async function joinOtherEstate(member: { email: string; password: string }) {
  const invited = await cloudAdmin.post(`/estates/${cloudHomeEstate}/users`, { name: 'Tamu', email: member.email, role: 'staff' });
  expect(invited.status, invited.text).toBe(201);
  const there = apiClient(cloud.url);
  expect((await there.post('/auth/login', { login: member.email, password: member.password })).status).toBe(200);
  const accepted = await there.post(`/membership-invitations/${invited.body.membership_invitation.id}/accept`);
  expect(accepted.status, accepted.text).toBe(200);
}

/** A one-time password link made at the office, used to set `password` on the desktop. */
async function resetLink(membershipId: string) {
  const link = await office.post(e(`/memberships/${membershipId}/password-reset`));
  expect(link.status, link.text).toBe(201);
  return String(link.body.url).split('/').pop() as string;
}

async function counts(server: TestServer) {
  const tables = ['users', 'password_resets', 'outbox', 'audit_log', 'sync_set_aside'];
  return Promise.all(tables.map(async (t) => Number(((await db(server)(t).count({ n: '*' }).first()) as { n: unknown }).n)));
}

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, office, estateId, cloudHomeEstate } = sites);
  unitId = (await office.post(e('/units'), { code: 'C-7', occupancy: 'occupied' })).body.id as string;
  const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
  const linked = await office.post(e('/sync/link'), { cloud_url: cloud.url, code });
  expect(linked.status, linked.text).toBe(201);
  await syncUntilQuiet();
}, 120_000);

afterAll(async () => {
  await sites?.close();
});

describe('an account the desktop made that joined another estate on the hosted instance', () => {
  it('is marked by the next pull; the office is then refused its password change with 403 and nothing is written', async () => {
    const rina = await officeMember('Bu Rina', 'rina@griya-asri.id', 'rahasia-rina-1');
    // A link handed out before she joined elsewhere, used only after the desktop knows.
    const early = await resetLink(rina.membershipId);
    await syncUntilQuiet();
    expect(await db(desktop)('sync_shared_accounts').where({ user_id: rina.userId }).first()).toBeUndefined();

    await joinOtherEstate(rina);
    const summary = await run();
    expect(summary.ok, JSON.stringify(summary)).toBe(true);
    expect(summary.pulled).toBeGreaterThan(0);
    expect(await db(desktop)('sync_shared_accounts').where({ user_id: rina.userId, estate_id: estateId }).first()).toBeDefined();
    const hash = (await db(desktop)('users').where({ id: rina.userId }).first()).password_hash as string;
    expect(hash).toBeTruthy();

    const before = await counts(desktop);
    const refused = await office.post(e(`/memberships/${rina.membershipId}/password-reset`));
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.error.code).toBe('ACCOUNT_OUTSIDE_ESTATE');
    const english = await office.post(e(`/memberships/${rina.membershipId}/password-reset`), {}, { 'accept-language': 'en' });
    expect(english.status).toBe(403);
    expect(english.body.error.message).toMatch(/only its owner|owner/i);
    const used = await apiClient(desktop.url).post(`/password-resets/${early}`, { password: 'sandi-baru-rina-2' });
    expect(used.status, used.text).toBe(403);
    expect(used.body.error.code).toBe('ACCOUNT_OUTSIDE_ESTATE');
    expect(await counts(desktop)).toEqual(before);
    expect((await db(desktop)('users').where({ id: rina.userId }).first()).password_hash).toBe(hash);

    // She still signs in on both sides with the password she had; nothing waits, nothing failed.
    expect(await signIn(desktop, rina.email, rina.password)).toBe(200);
    expect(await signIn(cloud, rina.email, rina.password)).toBe(200);
    await syncUntilQuiet();
    expect((await office.get(e('/sync'))).body).toMatchObject({ last_error: null, waiting: 0, set_aside: [] });
  });

  it('a change already waiting in the outbox is set aside, and a payment made afterwards reaches the hosted instance', async () => {
    const tono = await officeMember('Pak Tono', 'tono@griya-asri.id', 'rahasia-tono-1');
    const hostedHash = (await db(cloud)('users').where({ id: tono.userId }).first()).password_hash as string;
    await joinOtherEstate(tono);

    // Before the desktop hears of it, the office gives him a new password there: the change waits in the outbox.
    const link = await resetLink(tono.membershipId);
    const used = await apiClient(desktop.url).post(`/password-resets/${link}`, { password: 'sandi-baru-tono-2' });
    expect(used.status, used.text).toBe(200);
    const paid = await office.post(e('/payments'), {
      unit_id: unitId,
      amount: 150000,
      method: 'cash',
      paid_at: '2026-06-03T03:00:00.000Z',
    });
    expect(paid.status, paid.text).toBe(201);
    const paymentId = paid.body.id as string;

    // The hosted instance refuses a batch that carries his new hash.
    const summary = await run();
    expect(summary.ok, JSON.stringify(summary)).toBe(true);
    expect(summary.waiting).toBe(0);
    expect(await db(cloud)('payments').where({ id: paymentId }).first()).toMatchObject({ amount: expect.anything() });
    expect(Number((await db(cloud)('payments').where({ id: paymentId }).first()).amount)).toBe(150000);
    expect((await db(cloud)('users').where({ id: tono.userId }).first()).password_hash).toBe(hostedHash);
    expect(await db(desktop)('sync_shared_accounts').where({ user_id: tono.userId }).first()).toBeDefined();

    // The set-aside change is shown to the office in plain words; the rest of sync is healthy.
    const status = (await office.get(e('/sync'))).body;
    expect(status.last_error).toBeNull();
    expect(status.set_aside).toMatchObject([{ user_id: tono.userId, name: 'Pak Tono', code: 'SYNC_ACCOUNT_OUTSIDE_ESTATE' }]);
    expect(status.set_aside[0].message).toContain('tidak dikirim ke server awan');
    const english = (await office.get(e('/sync'), { 'accept-language': 'en' })).body;
    expect(english.set_aside[0].message).toContain('was not sent to the hosted instance');
    // Only his account row was set aside: no money row.
    const setAside = await db(desktop)('sync_set_aside').where({ estate_id: estateId });
    expect(setAside.map((r) => [r.table_name, r.row_id])).toEqual([['users', tono.userId]]);

    // The new password works at the office, the old one on the hosted instance.
    expect(await signIn(desktop, tono.email, 'sandi-baru-tono-2')).toBe(200);
    expect(await signIn(cloud, tono.email, tono.password)).toBe(200);
    expect(await signIn(cloud, tono.email, 'sandi-baru-tono-2')).toBe(401);

    // Later changes of his account go up without his sign-in and are not refused again; later money too.
    const role = await office.post(e(`/memberships/${tono.membershipId}/role`), { role: 'staff' });
    expect(role.status, role.text).toBe(200);
    const again = await office.post(e('/payments'), {
      unit_id: unitId,
      amount: 50000,
      method: 'cash',
      paid_at: '2026-06-04T03:00:00.000Z',
    });
    expect(again.status, again.text).toBe(201);
    await syncUntilQuiet();
    expect((await db(cloud)('memberships').where({ id: tono.membershipId }).first()).role).toBe('staff');
    expect(await db(cloud)('payments').where({ id: again.body.id }).first()).toBeDefined();
    expect((await db(cloud)('users').where({ id: tono.userId }).first()).password_hash).toBe(hostedHash);
    const [kept] = (await office.get(e('/sync'))).body.set_aside as { id: string }[];

    // Once he signs in with his hosted account here too, the office marks the change handled: it leaves the list,
    // stays recorded, and later cycles neither bring it back nor send anything of it.
    const handled = await office.post(e(`/sync/set-aside/${kept.id}/mark-handled`));
    expect(handled.status, handled.text).toBe(200);
    expect(handled.body.set_aside).toEqual([]);
    await syncUntilQuiet();
    expect((await office.get(e('/sync'))).body).toMatchObject({ last_error: null, waiting: 0, set_aside: [] });
    expect((await db(desktop)('sync_set_aside').where({ id: kept.id }).first()).handled_at).toBeTruthy();
    expect(await db(cloud)('audit_log').where({ action: 'sync.set_aside.handled' }).first()).toBeUndefined();
  });

  it('an account that joined another estate before such joins were journaled is named by the refusal and set aside', async () => {
    const wati = await officeMember('Bu Wati', 'wati@griya-asri.id', 'rahasia-wati-1');
    await joinOtherEstate(wati);
    // As a hosted instance of before this rule: the join left nothing in this estate's change log.
    await db(cloud)('outbox').where({ table_name: 'users', row_id: wati.userId, estate_id: estateId, columns: '["updated_at"]' }).del();
    const link = await resetLink(wati.membershipId);
    expect((await apiClient(desktop.url).post(`/password-resets/${link}`, { password: 'sandi-baru-wati-2' })).status).toBe(200);
    const paid = await office.post(e('/payments'), { unit_id: unitId, amount: 75000, method: 'cash', paid_at: '2026-06-05T03:00:00.000Z' });
    expect(paid.status, paid.text).toBe(201);

    const summary = await run();
    expect(summary.ok, JSON.stringify(summary)).toBe(true);
    expect(summary.waiting).toBe(0);
    expect(await db(cloud)('payments').where({ id: paid.body.id }).first()).toBeDefined();
    expect(await signIn(cloud, wati.email, wati.password)).toBe(200);
    expect(await db(desktop)('sync_shared_accounts').where({ user_id: wati.userId }).first()).toBeDefined();
    expect((await office.get(e('/sync'))).body.set_aside.map((x: { user_id: string }) => x.user_id)).toContain(wati.userId);
    // From now on the office is refused here too.
    const refused = await office.post(e(`/memberships/${wati.membershipId}/password-reset`));
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.error.code).toBe('ACCOUNT_OUTSIDE_ESTATE');
  });
});
