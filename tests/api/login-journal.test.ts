// A sign-in is this server's news, not the estate's: it is audited, and it does not put the user's row into the
// outbox, where sync would carry it to every other site of the estate (and back).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN, apiClient, setupEstate, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  await setupEstate(server.url);
});
afterAll(async () => server?.close());

it('signing in is audited with its time but writes no outbox row for the user', async () => {
  const knex = server.db.knex;
  const user = await knex('users').where({ email: ADMIN.email }).first();
  const outboxBefore = await knex('outbox').where({ table_name: 'users', row_id: user.id }).count({ n: '*' }).first();
  const res = await apiClient(server.url).post('/auth/login', { login: ADMIN.email, password: ADMIN.password });
  expect(res.status).toBe(200);
  const after = await knex('users').where({ id: user.id }).first();
  expect(after.last_login_at).not.toBe(user.last_login_at);
  const login = await knex('audit_log')
    .where({ entity_table: 'users', entity_id: user.id, action: 'users.login' })
    .orderBy('created_at', 'desc')
    .first();
  expect(login).toBeDefined();
  const outboxAfter = await knex('outbox').where({ table_name: 'users', row_id: user.id }).count({ n: '*' }).first();
  expect(Number(outboxAfter?.n)).toBe(Number(outboxBefore?.n));
  expect(Number(outboxBefore?.n)).toBeGreaterThan(0);
});

it('changing the user’s own data still reaches the outbox', async () => {
  const knex = server.db.knex;
  const user = await knex('users').where({ email: ADMIN.email }).first();
  const before = await knex('outbox').where({ table_name: 'users', row_id: user.id }).count({ n: '*' }).first();
  const { isSyncedChange } = await import('../../server/db/journal-policy.ts');
  expect(isSyncedChange('users', ['last_login_at'])).toBe(false);
  expect(isSyncedChange('users', ['last_login_at', 'name'])).toBe(true);
  expect(isSyncedChange('sessions', ['name'])).toBe(false);
  expect(Number(before?.n)).toBeGreaterThan(0);
});
