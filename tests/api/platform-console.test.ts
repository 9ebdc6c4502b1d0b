// The hosted instance's platform console: every estate with its usage, new estates with an invited first
// administrator, suspension (members and devices refused, data kept), the platform's administrators (never none) and
// the estates an account belongs to. Only platform administrators reach it. Runs on SQLite and PostgreSQL (`pgUrl`).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId } from '../../server/db/ids.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { ADMIN, apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

const ROLES = ['estate_admin', 'treasurer', 'guard', 'resident'] as const;
type Caller = (typeof ROLES)[number] | 'device';

describe.each(['sqlite', 'postgres'] as const)('platform console on %s', (backend) => {
  let pgdb: TestDatabase | undefined;
  let server: TestServer;
  let platform: ApiClient;
  let estateA: string;
  let estateB: string;
  let adminB: ApiClient;
  let adminBEmail: string;
  const callers = {} as Record<Caller, ApiClient>;
  const userIds = {} as Record<(typeof ROLES)[number], string>;
  const emails = {} as Record<(typeof ROLES)[number], string>;
  const knex = () => server.db.knex;
  const count = async (table: string) => Number((await knex()(table).count({ n: '*' }))[0].n);
  /** Rows of every table a console write touches: "nothing written" compares these. */
  const writes = async () => Promise.all(['audit_log', 'outbox', 'estates', 'users', 'memberships', 'invites'].map(count));

  beforeAll(async () => {
    if (backend === 'postgres') pgdb = await createTestDatabase(inject('pgUrl'));
    server = await startTestServer(pgdb ? { databaseUrl: pgdb.url } : {});
    ({ client: platform, estateId: estateA } = await setupEstate(server.url, 'Griya Asri'));
    for (const role of ROLES) {
      const made = await userWithRole(server.url, platform, estateA, role);
      callers[role] = made.client;
      userIds[role] = made.userId;
      emails[role] = made.email;
    }
    const device = await platform.post(`/estates/${estateA}/devices`, { name: 'Tablet pos', kind: 'kiosk' });
    const paired = await apiClient(server.url).post(`/estates/${estateA}/devices/pair`, { pairing_code: device.body.pairing_code });
    expect(paired.status, paired.text).toBe(200);
    callers.device = apiClient(server.url).withBearer(paired.body.token);

    // Usage of A: two units, one resident living in one today, one moving in years from now, one without a unit.
    const a1 = (await platform.post(`/estates/${estateA}/units`, { code: 'A-1' })).body.id;
    const a2 = (await platform.post(`/estates/${estateA}/units`, { code: 'A-2' })).body.id;
    for (const [name, unit, movedIn] of [
      ['Budi Santoso', a1, '2020-01-01'],
      ['Citra Lestari', a2, '2099-01-01'],
    ] as const) {
      const r = await platform.post(`/estates/${estateA}/residents`, { name, unit_id: unit, relation: 'owner', moved_in_on: movedIn });
      expect(r.status, r.text).toBe(201);
    }

    adminBEmail = `pengurus-${Math.random().toString(36).slice(2, 8)}@bukit-indah.id`;
    const created = await platform.post('/estates', {
      name: 'Bukit Indah',
      timezone: 'Asia/Makassar',
      first_admin: { name: 'Pak Darto', email: adminBEmail },
    });
    expect(created.status, created.text).toBe(201);
    estateB = created.body.id;
    const code = created.body.first_admin.invite.code as string;
    adminB = apiClient(server.url);
    expect((await adminB.post(`/invites/${code}/accept`, { password: 'darto-rahasia-1' })).status).toBe(200);
    expect((await adminB.post('/auth/login', { login: adminBEmail, password: 'darto-rahasia-1' })).status).toBe(200);
  });

  afterAll(async () => {
    await server?.close();
    await pgdb?.drop();
  });

  describe('creating an estate', () => {
    it('invites the named first administrator by link, and the creator does not become a member', async () => {
      const estate = await knex()('estates').where({ id: estateB }).first();
      expect(estate).toMatchObject({ name: 'Bukit Indah', timezone: 'Asia/Makassar', suspended_at: null });
      const members = await knex()('memberships').where({ estate_id: estateB }).select('role', 'user_id');
      expect(members).toHaveLength(1);
      expect(members[0].role).toBe('estate_admin');
      const me = await adminB.get('/auth/me');
      expect(me.body.memberships).toEqual([
        expect.objectContaining({ estate_id: estateB, role: 'estate_admin', estate_name: 'Bukit Indah' }),
      ]);
      expect((await adminB.get(`/estates/${estateB}/units`)).status).toBe(200);
      // Journaled: the estate, the account, its membership and its invite each have an audit row, the synced ones an outbox row.
      const audited = await knex()('audit_log').where({ estate_id: estateB }).pluck('action');
      expect(audited).toEqual(expect.arrayContaining(['estates.create', 'users.create', 'memberships.create']));
      expect(Number((await knex()('outbox').where({ table_name: 'estates', row_id: estateB }).count({ n: '*' }))[0].n)).toBe(1);
    });

    it('sends an existing account a membership invitation instead of a link, and touches nothing of it', async () => {
      const before = await knex()('users').where({ id: userIds.treasurer }).first('password_hash', 'status');
      const res = await platform.post('/estates', { name: 'Taman Sari', first_admin: { name: 'Bendahara A', email: emails.treasurer } });
      expect(res.status, res.text).toBe(201);
      expect(res.body.first_admin.user).toBeNull();
      expect(res.body.first_admin.invite).toBeUndefined();
      expect(res.body.first_admin.membership_invitation).toMatchObject({ role: 'estate_admin', status: 'pending' });
      expect(await knex()('users').where({ id: userIds.treasurer }).first('password_hash', 'status')).toEqual(before);
      expect(Number((await knex()('memberships').where({ estate_id: res.body.id }).count({ n: '*' }))[0].n)).toBe(0);
    });

    it('without a first administrator makes the creator its administrator, as before', async () => {
      const res = await platform.post('/estates', { name: 'Villa Mutiara' });
      expect(res.status, res.text).toBe(201);
      expect(res.body.first_admin).toBeUndefined();
      const me = await platform.get('/auth/me');
      expect(me.body.memberships.map((m: { estate_id: string }) => m.estate_id)).toContain(res.body.id);
    });
  });

  describe('the estates list', () => {
    it('shows every estate with units, active residents, users and last sync', async () => {
      const res = await platform.get('/platform/estates');
      expect(res.status, res.text).toBe(200);
      const a = res.body.items.find((e: { id: string }) => e.id === estateA);
      const b = res.body.items.find((e: { id: string }) => e.id === estateB);
      // Platform admin (from setup) and the four roles; the kiosk is a device, not a user.
      expect(a).toMatchObject({ name: 'Griya Asri', status: 'active', suspended_at: null });
      expect(a.usage).toEqual({ units: 2, active_residents: 1, users: 5, last_sync_at: null });
      expect(b.usage).toEqual({ units: 0, active_residents: 0, users: 1, last_sync_at: null });
      expect(res.body.items.map((e: { name: string }) => e.name)).toEqual([...res.body.items.map((e: { name: string }) => e.name)].sort());
    });

    it('takes last sync from the newest sync recorded for the estate, on the hosted side or the desktop side', async () => {
      const batch = { estate_id: estateB, credential_id: newId(), changes: 3, result: '{}' };
      await knex()('sync_batches').insert([
        { ...batch, id: 'batch-1', applied_at: '2026-11-29T03:04:05.000Z' },
        { ...batch, id: 'batch-2', applied_at: '2026-11-29T08:00:00.000Z' },
      ]);
      let res = await platform.get(`/platform/estates/${estateB}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.usage.last_sync_at).toBe('2026-11-29T08:00:00.000Z');
      expect((await platform.get(`/platform/estates/${estateA}`)).body.usage.last_sync_at).toBeNull();

      // This server as an estate's desktop: its own last cycle counts when it is newer.
      const at = '2026-11-30T01:02:03.000Z';
      await knex()('sync_links').insert({
        id: newId(),
        estate_id: estateB,
        cloud_url: 'https://awan.example.id',
        token: 'x',
        pull_cursor: '',
        last_sync_at: at,
        created_at: at,
        updated_at: at,
      });
      res = await platform.get('/platform/estates');
      expect(res.body.items.find((e: { id: string }) => e.id === estateB).usage.last_sync_at).toBe(at);
      await knex()('sync_links').where({ estate_id: estateB }).delete();
    });

    it('filters by name and status', async () => {
      const res = await platform.get('/platform/estates?q=bukit');
      expect(res.body.items.map((e: { id: string }) => e.id)).toEqual([estateB]);
      expect((await platform.get('/platform/estates?q=%25')).body.items).toEqual([]);
      expect((await platform.get('/platform/estates?status=suspended')).body.items).toEqual([]);
    });
  });

  describe('who may use it', () => {
    const routes = (): [string, string, unknown?][] => [
      ['GET', '/platform/estates'],
      ['GET', `/platform/estates/${estateB}`],
      ['POST', `/platform/estates/${estateB}/suspend`, {}],
      ['POST', `/platform/estates/${estateB}/reactivate`, {}],
      ['GET', '/platform/admins'],
      ['POST', '/platform/admins', { user_id: userIds.estate_admin }],
      ['DELETE', `/platform/admins/${userIds.estate_admin}`],
      ['GET', `/platform/users?q=${encodeURIComponent(ADMIN.email)}`],
      ['POST', '/estates', { name: 'Perumahan Liar', first_admin: { name: 'X', email: 'x@contoh.id' } }],
    ];

    it.each([...ROLES, 'device'] as const)('answers 403 to %s on every route, writing nothing', async (caller) => {
      const before = await writes();
      for (const [method, path, body] of routes()) {
        const res = await callers[caller].request(method, path, body);
        expect(res.status, `${caller} ${method} ${path}: ${res.text}`).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
      expect(await writes()).toEqual(before);
      expect((await knex()('estates').where({ id: estateB }).first()).suspended_at).toBeNull();
    });

    it('answers 401 to a caller who is not signed in', async () => {
      for (const [method, path, body] of routes()) expect((await apiClient(server.url).request(method, path, body)).status).toBe(401);
    });
  });

  describe('bad input', () => {
    it('answers 404 for unknown or malformed ids', async () => {
      const unknown = newId();
      for (const [method, path, body] of [
        ['GET', `/platform/estates/${unknown}`],
        ['GET', '/platform/estates/not-an-id'],
        ['POST', `/platform/estates/${unknown}/suspend`, {}],
        ['POST', `/platform/estates/${unknown}/reactivate`, {}],
        ['POST', '/platform/admins', { user_id: unknown }],
        ['DELETE', `/platform/admins/${unknown}`],
        ['DELETE', '/platform/admins/x'],
        // An account that is not a platform administrator has no such role to take away.
        ['DELETE', `/platform/admins/${userIds.guard}`],
      ] as [string, string, unknown?][]) {
        const res = await platform.request(method, path, body);
        expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
        expect(res.body.error.code).toBe('NOT_FOUND');
      }
    });

    it('refuses malformed bodies and queries with 400 and a stable code, writing nothing', async () => {
      const before = await writes();
      const huge = 'x'.repeat(20_000);
      const cases: [string, string, unknown, number, string, string?][] = [
        ['POST', '/platform/admins', {}, 400, 'VALIDATION_FAILED', 'user_id'],
        ['POST', '/platform/admins', { user_id: 'bukan-id' }, 400, 'VALIDATION_FAILED', 'user_id'],
        ['POST', '/platform/admins', { user_id: `${newId()}\u0000` }, 400, 'NUL_BYTE'],
        ['POST', '/platform/admins', '[1,', 400, 'INVALID_JSON'],
        ['GET', '/platform/users', undefined, 400, 'VALIDATION_FAILED', 'q'],
        ['GET', '/platform/users?q=bukan%20nomor', undefined, 400, 'VALIDATION_FAILED', 'q'],
        ['GET', `/platform/users?q=${'9'.repeat(300)}`, undefined, 400, 'VALIDATION_FAILED', 'q'],
        ['GET', '/platform/users?q=a%00%40b.id', undefined, 400, 'NUL_BYTE'],
        ['GET', '/platform/estates?status=deleted', undefined, 400, 'VALIDATION_FAILED', 'status'],
        ['GET', `/platform/estates?q=${'x'.repeat(300)}`, undefined, 400, 'VALIDATION_FAILED', 'q'],
        ['POST', '/estates', { name: huge }, 400, 'VALIDATION_FAILED', 'name'],
        ['POST', '/estates', { name: 'Griya\u0000Baru' }, 400, 'NUL_BYTE'],
        ['POST', '/estates', { name: 'Griya Baru', timezone: 'Mars/Olympus' }, 400, 'VALIDATION_FAILED', 'timezone'],
        ['POST', '/estates', { name: 'Griya Baru', first_admin: { name: 'Tanpa Kontak' } }, 400, 'VALIDATION_FAILED', 'first_admin.email'],
        [
          'POST',
          '/estates',
          { name: 'Griya Baru', first_admin: { name: huge, email: 'a@b.id' } },
          400,
          'VALIDATION_FAILED',
          'first_admin.name',
        ],
        [
          'POST',
          '/estates',
          { name: 'Griya Baru', first_admin: { name: 'A', phone: '12' } },
          400,
          'VALIDATION_FAILED',
          'first_admin.phone',
        ],
        ['POST', '/estates', { name: 'Griya Baru', first_admin: 'ketua@contoh.id' }, 400, 'VALIDATION_FAILED', 'first_admin'],
        ['POST', '/estates', { name: 'x'.repeat(1_100_000) }, 413, 'PAYLOAD_TOO_LARGE'],
      ];
      for (const [method, path, body, status, code, field] of cases) {
        const res = await platform.request(method, path, body);
        expect(res.status, `${method} ${path.slice(0, 80)}: ${res.text.slice(0, 300)}`).toBe(status);
        expect(res.body.error.code).toBe(code);
        if (field) expect(res.body.error.field).toBe(field);
      }
      expect(await writes()).toEqual(before);
    });

    it('answers a first administrator whose email and phone belong to two accounts with 409, leaving no estate behind', async () => {
      const phoneOwner = await userWithRole(server.url, platform, estateA, 'staff', { phone: '0812-7000-0101' });
      expect(phoneOwner.userId).toBeTruthy();
      const before = await writes();
      const res = await platform.post('/estates', {
        name: 'Griya Setengah',
        first_admin: { name: 'Dua Akun', email: emails.guard, phone: '081270000101' },
      });
      expect(res.status, res.text).toBe(409);
      expect(res.body.error.code).toBe('DUPLICATE');
      expect(await writes()).toEqual(before);
      expect(await knex()('estates').where({ name: 'Griya Setengah' }).first()).toBeUndefined();
    });
  });

  describe('suspending an estate', () => {
    afterAll(async () => {
      await platform.post(`/platform/estates/${estateA}/reactivate`);
    });

    it('refuses its members and devices with 403 ESTATE_SUSPENDED, keeps its data, and lets platform admins in', async () => {
      const unitsBefore = (await platform.get(`/estates/${estateA}/units`)).body;
      const res = await platform.post(`/platform/estates/${estateA}/suspend`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ id: estateA, status: 'suspended', suspended_at: expect.any(String) });
      expect(res.body.usage).toMatchObject({ units: 2, active_residents: 1 });

      for (const caller of [...ROLES, 'device'] as const) {
        for (const path of [
          `/estates/${estateA}`,
          `/estates/${estateA}/units`,
          `/estates/${estateA}/gate/units`,
          `/estates/${estateA}/portal/visits`,
        ]) {
          const refused = await callers[caller].get(path);
          expect(refused.status, `${caller} ${path}: ${refused.text}`).toBe(403);
          expect(refused.body.error.code).toBe('ESTATE_SUSPENDED');
        }
      }
      const before = await writes();
      const write = await callers.estate_admin.post(`/estates/${estateA}/units`, { code: 'A-9' });
      expect(write.status).toBe(403);
      expect(write.body.error.code).toBe('ESTATE_SUSPENDED');
      // A kiosk cannot pair itself to a suspended estate either.
      const pair = await apiClient(server.url).post(`/estates/${estateA}/devices/pair`, { pairing_code: 'ABCD-EFGH' });
      expect(pair.body.error.code).toBe('ESTATE_SUSPENDED');
      expect(await writes()).toEqual(before);
      // English callers read it in English; the code stays.
      const english = await callers.resident.get(`/estates/${estateA}`, { 'accept-language': 'en' });
      expect(english.body.error).toMatchObject({ code: 'ESTATE_SUSPENDED', message: expect.stringContaining('suspended') });

      // Someone who is not a member still learns nothing about the estate.
      expect((await adminB.get(`/estates/${estateA}/units`)).status).toBe(404);
      // Other estates go on; platform admins still see the data, unchanged.
      expect((await adminB.get(`/estates/${estateB}/units`)).status).toBe(200);
      expect((await platform.get(`/estates/${estateA}/units`)).body).toEqual(unitsBefore);
      expect((await platform.get('/platform/estates?status=suspended')).body.items.map((e: { id: string }) => e.id)).toEqual([estateA]);
      // The lookup shows the suspension next to the membership.
      const looked = await platform.get(`/platform/users?q=${encodeURIComponent(emails.treasurer)}`);
      expect(looked.body.items[0].estates).toEqual([
        { estate_id: estateA, estate_name: 'Griya Asri', estate_status: 'suspended', role: 'treasurer', membership_status: 'active' },
      ]);
    });

    it('is journaled once: suspending again writes nothing, and the change is not sent to other sites', async () => {
      const audit = await knex()('audit_log')
        .where({ entity_table: 'estates', entity_id: estateA, action: 'estates.suspend' })
        .select('actor_role');
      expect(audit).toEqual([{ actor_role: 'platform_admin' }]);
      const before = await writes();
      expect((await platform.post(`/platform/estates/${estateA}/suspend`)).status).toBe(200);
      expect(await writes()).toEqual(before);
      // suspended_at is site-local: the office's desktop of this estate keeps working.
      const outbox = await knex()('outbox').where({ table_name: 'estates', row_id: estateA }).count({ n: '*' });
      expect(Number(outbox[0].n)).toBe(1);
    });

    it('reactivating lets members and devices back in', async () => {
      const res = await platform.post(`/platform/estates/${estateA}/reactivate`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ status: 'active', suspended_at: null });
      expect((await callers.estate_admin.get(`/estates/${estateA}/units`)).status).toBe(200);
      expect((await callers.device.get(`/estates/${estateA}/gate/units`)).status).toBe(200);
      expect(await knex()('audit_log').where({ entity_id: estateA, action: 'estates.reactivate' }).pluck('actor_role')).toEqual([
        'platform_admin',
      ]);
    });
  });

  describe('platform administrators', () => {
    it('are granted to an account, which then reaches the console, and revoked again', async () => {
      const outboxBefore = await count('outbox');
      const granted = await platform.post('/platform/admins', { user_id: userIds.estate_admin });
      expect(granted.status, granted.text).toBe(200);
      expect(granted.body).toMatchObject({ id: userIds.estate_admin, email: emails.estate_admin, status: 'active' });
      // Granting twice changes nothing.
      const auditBefore = await count('audit_log');
      expect((await platform.post('/platform/admins', { user_id: userIds.estate_admin })).status).toBe(200);
      expect(await count('audit_log')).toBe(auditBefore);
      // Audited, not synced: the hosted instance's administrators are not an office desktop's.
      const grants = await knex()('audit_log')
        .where({ entity_id: userIds.estate_admin, action: 'users.platform_admin_grant' })
        .count({ n: '*' });
      expect(Number(grants[0].n)).toBe(1);
      expect(await count('outbox')).toBe(outboxBefore);

      const list = await platform.get('/platform/admins');
      expect(list.body.items.map((a: { id: string }) => a.id).sort()).toEqual(
        [userIds.estate_admin, (await platform.get('/auth/me')).body.user.id].sort(),
      );
      expect((await callers.estate_admin.get('/platform/estates')).status).toBe(200);

      expect((await platform.delete(`/platform/admins/${userIds.estate_admin}`)).status).toBe(204);
      expect((await callers.estate_admin.get('/platform/estates')).status).toBe(403);
      expect((await platform.get('/platform/admins')).body.items).toHaveLength(1);
    });

    it('never loses the last active one, not even to two revocations at once', async () => {
      const me = (await platform.get('/auth/me')).body.user.id as string;
      const last = await platform.delete(`/platform/admins/${me}`);
      expect(last.status).toBe(409);
      expect(last.body.error).toMatchObject({ code: 'LAST_PLATFORM_ADMIN', field: 'user_id' });

      expect((await platform.post('/platform/admins', { user_id: userIds.treasurer })).status).toBe(200);
      const answers = await Promise.all([
        platform.delete(`/platform/admins/${userIds.treasurer}`),
        callers.treasurer.delete(`/platform/admins/${me}`),
      ]);
      // One revocation wins; the other finds itself the last administrator (409) or no longer one at all (403).
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses[0]).toBe(204);
      expect([403, 409]).toContain(statuses[1]);
      const left = await knex()('users').where('is_platform_admin', true).whereNull('deleted_at').pluck('id');
      expect(left).toHaveLength(1);
      // Whoever is left restores the starting point for the other suites.
      if (left[0] !== me) {
        expect((await callers.treasurer.post('/platform/admins', { user_id: me })).status).toBe(200);
        expect((await platform.delete(`/platform/admins/${userIds.treasurer}`)).status).toBe(204);
      }
    });
  });

  describe('looking an account up', () => {
    it('finds it by email or phone with the estates it belongs to and its roles there', async () => {
      const byEmail = await platform.get(`/platform/users?q=${encodeURIComponent(adminBEmail.toUpperCase())}`);
      expect(byEmail.status, byEmail.text).toBe(200);
      expect(byEmail.body.items).toEqual([
        {
          id: expect.any(String),
          name: 'Pak Darto',
          email: adminBEmail,
          phone: null,
          status: 'active',
          is_platform_admin: false,
          estates: [
            { estate_id: estateB, estate_name: 'Bukit Indah', estate_status: 'active', role: 'estate_admin', membership_status: 'active' },
          ],
        },
      ]);
      const byPhone = await platform.get('/platform/users?q=0812%207000%200101');
      expect(byPhone.body.items).toHaveLength(1);
      expect(byPhone.body.items[0].estates).toEqual([expect.objectContaining({ estate_id: estateA, role: 'staff' })]);

      const setupAdmin = await platform.get(`/platform/users?q=${encodeURIComponent(ADMIN.email)}`);
      expect(setupAdmin.body.items[0]).toMatchObject({ is_platform_admin: true });
      expect(setupAdmin.body.items[0].estates.map((e: { estate_name: string }) => e.estate_name)).toEqual(
        expect.arrayContaining(['Griya Asri', 'Villa Mutiara']),
      );
      expect((await platform.get('/platform/users?q=tidak-ada%40contoh.id')).body.items).toEqual([]);
    });
  });
});
