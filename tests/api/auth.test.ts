import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, apiClient, setupEstate, startTestServer, TEST_BACKEND, userWithRole, type TestServer } from '../support/server.ts';

let server: TestServer;
let estateId: string;
let admin: Awaited<ReturnType<typeof setupEstate>>['client'];

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server.close();
});

describe('first-run setup', () => {
  it('reports setup as done and refuses a second setup with 409', async () => {
    const health = await apiClient(server.url).get('/health');
    expect(health.body).toMatchObject({ status: 'ok', database: TEST_BACKEND, setup_required: false });
    const again = await apiClient(server.url).post('/setup', {
      estate: { name: 'Lain' },
      admin: { name: 'X', email: 'x@x.id', password: 'password123' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SETUP_ALREADY_DONE');
  });

  it('makes the setup admin a platform admin and estate admin', async () => {
    const me = await admin.get('/auth/me');
    expect(me.body.user.is_platform_admin).toBe(true);
    expect(me.body.memberships).toEqual([
      expect.objectContaining({ estate_id: estateId, role: 'estate_admin', estate_name: 'Perumahan Griya Asri' }),
    ]);
  });
});

describe('login, session and tokens', () => {
  it('logs in by email and by phone, sets an httpOnly SameSite cookie', async () => {
    const phoneUser = await admin.post(`/estates/${estateId}/users`, {
      name: 'Pak Bendahara',
      phone: '0812-1111-2222',
      role: 'treasurer',
      password: 'bendahara-123',
    });
    expect(phoneUser.status).toBe(201);
    expect(phoneUser.body.user.phone).toBe('+6281211112222');
    const c = apiClient(server.url);
    const res = await c.post('/auth/login', { login: '+62 812 1111 2222', password: 'bendahara-123' });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((x) => x.startsWith('klustera_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(res.body.memberships[0].role).toBe('treasurer');
    const byEmail = await apiClient(server.url).post('/auth/login', { login: ADMIN.email.toUpperCase(), password: ADMIN.password });
    expect(byEmail.status).toBe(200);
  });

  it('rejects a wrong password with 401 INVALID_CREDENTIALS, and an unknown account the same way', async () => {
    const wrong = await apiClient(server.url).post('/auth/login', { login: ADMIN.email, password: 'salah-sekali' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const unknown = await apiClient(server.url).post('/auth/login', { login: 'tidak-ada@x.id', password: 'salah-sekali' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('locks an account after five failures, even for the right password', async () => {
    const u = await userWithRole(server.url, admin, estateId, 'staff');
    const c = apiClient(server.url);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await c.post('/auth/login', { login: u.email, password: 'tebak-tebak' })).status);
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    const right = await c.post('/auth/login', { login: u.email, password: u.password });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('requires the CSRF token for cookie-authenticated writes', async () => {
    const noToken = await admin.post(`/estates/${estateId}/units`, { code: 'Z-1' }, { 'x-csrf-token': 'wrong' });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('CSRF_FAILED');
    const crossSite = await admin.post(`/estates/${estateId}/units`, { code: 'Z-1' }, { origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    const units = await admin.get(`/estates/${estateId}/units?q=Z-1`);
    expect(units.body.total).toBe(0);
  });

  it('issues bearer tokens for scripts; logout revokes them', async () => {
    const t = await apiClient(server.url).post('/auth/token', { login: ADMIN.email, password: ADMIN.password, name: 'laporan' });
    expect(t.status).toBe(201);
    const script = apiClient(server.url).withBearer(t.body.token);
    expect((await script.post(`/estates/${estateId}/units`, { code: 'T-1' })).status).toBe(201);
    expect((await script.post('/auth/logout')).status).toBe(204);
    expect((await script.get(`/estates/${estateId}/units`)).status).toBe(401);
  });

  it('logs out a browser session', async () => {
    const c = apiClient(server.url);
    await c.post('/auth/login', { login: ADMIN.email, password: ADMIN.password });
    expect((await c.post('/auth/logout')).status).toBe(204);
    expect((await c.get('/auth/me')).status).toBe(401);
  });

  it('changes a password and signs other sessions out', async () => {
    const u = await userWithRole(server.url, admin, estateId, 'staff');
    const other = apiClient(server.url);
    await other.post('/auth/login', { login: u.email, password: u.password });
    const bad = await u.client.post('/auth/password', { current_password: 'bukan', new_password: 'baru-sekali-1' });
    expect(bad.status).toBe(401);
    expect((await u.client.post('/auth/password', { current_password: u.password, new_password: 'baru-sekali-1' })).status).toBe(204);
    expect((await other.get('/auth/me')).status).toBe(401);
    expect((await u.client.get('/auth/me')).status).toBe(200);
    expect((await apiClient(server.url).post('/auth/login', { login: u.email, password: 'baru-sekali-1' })).status).toBe(200);
  });

  it('revokes bearer tokens issued before a password change', async () => {
    const u = await userWithRole(server.url, admin, estateId, 'treasurer');
    const issued = await apiClient(server.url).post('/auth/token', { login: u.email, password: u.password, name: 'skrip lama' });
    const script = apiClient(server.url).withBearer(issued.body.token);
    expect((await script.get(`/estates/${estateId}/units`)).status).toBe(200);
    expect((await u.client.post('/auth/password', { current_password: u.password, new_password: 'sandi-baru-bendahara-1' })).status).toBe(
      204,
    );
    expect((await script.get(`/estates/${estateId}/units`)).status).toBe(401);
    // A token asked for with the new password works; one changing the password keeps itself, revoking the others.
    const fresh = apiClient(server.url).withBearer(
      (await apiClient(server.url).post('/auth/token', { login: u.email, password: 'sandi-baru-bendahara-1' })).body.token,
    );
    const other = apiClient(server.url).withBearer(
      (await apiClient(server.url).post('/auth/token', { login: u.email, password: 'sandi-baru-bendahara-1' })).body.token,
    );
    expect(
      (await fresh.post('/auth/password', { current_password: 'sandi-baru-bendahara-1', new_password: 'sandi-ketiga-1' })).status,
    ).toBe(204);
    expect((await fresh.get(`/estates/${estateId}/units`)).status).toBe(200);
    expect((await other.get(`/estates/${estateId}/units`)).status).toBe(401);
  });
});

describe('invites', () => {
  it('invites a resident with a code, a link and a wa.me link; accepting sets the password and signs in', async () => {
    const resident = await admin.post(`/estates/${estateId}/residents`, { name: 'Bu Sari', phone: '0813-2222-3333' });
    const res = await admin.post(`/estates/${estateId}/users`, {
      name: 'Bu Sari',
      phone: '0813-2222-3333',
      role: 'resident',
      resident_id: resident.body.id,
    });
    expect(res.status).toBe(201);
    const { code, url, whatsapp_url } = res.body.invite;
    expect(url).toBe(`${server.url}/portal/invite/${code}`);
    expect(whatsapp_url).toMatch(/^https:\/\/wa\.me\/6281322223333\?text=/);
    expect(decodeURIComponent(whatsapp_url)).toContain(code);
    const cannotLogin = await apiClient(server.url).post('/auth/login', { login: '081322223333', password: 'apa-saja-1' });
    expect(cannotLogin.status).toBe(401);
    const info = await apiClient(server.url).get(`/invites/${code}`);
    expect(info.body).toMatchObject({ name: 'Bu Sari', estate_name: 'Perumahan Griya Asri', role: 'resident' });
    const c = apiClient(server.url);
    const accepted = await c.post(`/invites/${code}/accept`, { password: 'sari-rahasia-1' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.memberships[0]).toMatchObject({ role: 'resident', resident_id: resident.body.id });
    expect((await apiClient(server.url).post(`/invites/${code}/accept`, { password: 'lagi-lagi-1' })).status).toBe(404);
    expect((await apiClient(server.url).post('/auth/login', { login: '081322223333', password: 'sari-rahasia-1' })).status).toBe(200);
  });
});
