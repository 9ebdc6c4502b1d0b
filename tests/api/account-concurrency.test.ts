import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { verifyPassword } from '../../server/auth/passwords.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * Login throttling and invite acceptance under parallel requests, on SQLite and on PostgreSQL (`pgUrl`), where the
 * requests really run on separate connections. The server runs in this process, so the password check is observed
 * directly: every answer, locked or not, must have run one scrypt verification.
 */
const verified = vi.hoisted(() => ({ hashes: [] as (string | null | undefined)[] }));
vi.mock('../../server/auth/passwords.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../server/auth/passwords.ts')>();
  return {
    ...actual,
    verifyPassword: (password: string, stored: string | null | undefined) => {
      verified.hashes.push(stored);
      return actual.verifyPassword(password, stored);
    },
  };
});

const THRESHOLD = 5;

function loginFrom(url: string, login: string, password: string, source: { ip: string; device?: string }) {
  const headers: Record<string, string> = { 'x-forwarded-for': source.ip };
  if (source.device) headers.cookie = `klustera_browser=${source.device}`;
  return apiClient(url).post('/auth/login', { login, password }, headers);
}

function deviceCookie(res: { headers: Headers }): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('klustera_browser='));
  expect(cookie).toMatch(/HttpOnly/i);
  return cookie!.split(';')[0]!.slice('klustera_browser='.length);
}

describe.each(['sqlite', 'postgres'] as const)('accounts under concurrency on %s', (backend) => {
  let pgdb: TestDatabase | undefined;
  let server: TestServer;
  let admin: ApiClient;
  let estateId: string;

  beforeAll(async () => {
    if (backend === 'postgres') pgdb = await createTestDatabase(inject('pgUrl'));
    server = await startTestServer({ databaseUrl: pgdb?.url, options: { loginRateLimitPerMinute: 100_000, lockoutThreshold: THRESHOLD } });
    ({ client: admin, estateId } = await setupEstate(server.url));
  });
  afterAll(async () => {
    await server?.close();
    await pgdb?.drop();
  });

  it('checks at most the threshold of 30 parallel wrong passwords from one source, then keeps that source out', async () => {
    const u = await userWithRole(server.url, admin, estateId, 'treasurer');
    const attacker = { ip: '203.0.113.7' };
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => loginFrom(server.url, u.email, `tebakan-${i}`, attacker)));
    const statuses = answers.map((a) => a.status);
    expect(new Set(statuses)).toEqual(new Set([401, 429]));
    // The attempt that fills the last slot answers 429 itself, so fewer than THRESHOLD answer 401.
    expect(statuses.filter((s) => s === 401).length).toBeLessThan(THRESHOLD);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(30 - THRESHOLD);
    const right = await loginFrom(server.url, u.email, u.password, attacker);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    // userWithRole signed in from 127.0.0.1: a known source for this account, untouched by the attacker's lock.
    expect((await apiClient(server.url).post('/auth/login', { login: u.email, password: u.password })).status).toBe(200);
  });

  it('lets the real user in from their known browser and address after strangers locked the account', async () => {
    const u = await userWithRole(server.url, admin, estateId, 'treasurer');
    const office = { ip: '198.51.100.20' };
    const first = await loginFrom(server.url, u.email, u.password, office);
    expect(first.status).toBe(200);
    const device = deviceCookie(first);

    // Strangers from several addresses, in parallel: each address locks itself, and together they lock the account
    // for every address it has never been used from.
    const strangers = ['203.0.113.21', '203.0.113.22', '203.0.113.23', '203.0.113.24'];
    await Promise.all(
      strangers.map(async (ip) => {
        for (let i = 0; i < THRESHOLD + 2; i++) await loginFrom(server.url, u.email, `salah-${ip}-${i}`, { ip });
      }),
    );
    const newPlace = await loginFrom(server.url, u.email, u.password, { ip: '203.0.113.99' });
    expect(newPlace.status).toBe(429);

    // The office browser after its address changed (the cookie), and a script at the office address (no cookie).
    expect((await loginFrom(server.url, u.email, u.password, { ip: '198.51.100.77', device })).status).toBe(200);
    expect((await loginFrom(server.url, u.email, u.password, office)).status).toBe(200);
    // A known source still has its own limit.
    const officeGuesses = [];
    for (let i = 0; i < THRESHOLD; i++)
      officeGuesses.push((await loginFrom(server.url, u.email, `lupa-${i}`, { ip: '198.51.100.77', device })).status);
    expect(officeGuesses).toEqual([401, 401, 401, 401, 429]);
  });

  it('runs the password check for a locked answer and for an unknown account, like for any other', async () => {
    const u = await userWithRole(server.url, admin, estateId, 'staff');
    const hash = (await server.db.knex('users').where({ id: u.userId }).first('password_hash')).password_hash;
    const ip = '203.0.113.50';
    for (let i = 0; i < THRESHOLD; i++) await loginFrom(server.url, u.email, 'salah-salah', { ip });

    verified.hashes.length = 0;
    const locked = await loginFrom(server.url, u.email, u.password, { ip });
    expect(locked.status).toBe(429);
    expect(verified.hashes).toEqual([hash]);

    verified.hashes.length = 0;
    const unknown = await loginFrom(server.url, 'tidak-ada@griya-asri.id', 'salah-salah', { ip });
    expect(unknown.status).toBe(401);
    expect(verified.hashes).toHaveLength(1);
    expect(verified.hashes[0]).toMatch(/^scrypt\$/);
  });

  it('accepts an invite exactly once when it is submitted many times at once', async () => {
    const created = await admin.post(`/estates/${estateId}/users`, {
      name: 'Bu Rina',
      email: `rina-${backend}@griya-asri.id`,
      role: 'staff',
    });
    const code = created.body.invite.code as string;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => apiClient(server.url).post(`/invites/${code}/accept`, { password: `rina-sandi-${i}` })),
    );
    const winners = answers.map((a, i) => [a.status, i] as const).filter(([status]) => status === 200);
    expect(winners).toHaveLength(1);
    expect(answers.filter((a) => a.status === 404)).toHaveLength(9);
    const winner = winners[0]![1];
    expect((await loginFrom(server.url, `rina-${backend}@griya-asri.id`, `rina-sandi-${winner}`, { ip: '198.51.100.5' })).status).toBe(200);
    const { password_hash: hash } = await server.db.knex('users').where({ id: created.body.user.id }).first('password_hash');
    for (let i = 0; i < 10; i++) expect(await verifyPassword(`rina-sandi-${i}`, hash), `password ${i}`).toBe(i === winner);
    const [{ n }] = await server.db.knex('invites').where({ code }).whereNotNull('accepted_at').count({ n: '*' });
    expect(Number(n)).toBe(1);
  });
});
