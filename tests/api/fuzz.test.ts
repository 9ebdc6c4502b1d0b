import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { allRoutes } from '../../server/http/routes-index.ts';
import type { RouteDef } from '../../server/http/route.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { ADMIN, ApiClient, apiClient, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { fillPath, jsonSchemaOf, plausibleValue } from '../support/route-sweep.ts';

/**
 * Every route of the route table, on SQLite and on PostgreSQL, anonymous, as an administrator and as a paired kiosk
 * (bearer token, and the browser kiosk's device cookie):
 * NUL bytes in each string of the body, the path and the query; broken multipart bodies; JSON nested thousands deep;
 * bodies past the size limit; wrong content types. Not one answer may be a 5xx, every error carries a stable code,
 * and a write route refused this way leaves every table as it was.
 */

const NUL = '\u0000';
const DEEP = 5000;
const deepArray = '['.repeat(DEEP) + ']'.repeat(DEEP);
const deepObject = '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP);

type Credential = 'anonymous' | 'admin' | 'kiosk' | 'kiosk-cookie';

/** The browser kiosk: its device cookie plus the header that makes the server use it. */
class KioskCookieClient extends ApiClient {
  override request<T = any>(method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
    return super.request<T>(method, p, body, { 'x-klustera-device': '1', ...headers });
  }
}
type Attempt = { label: string; status: number; code?: string };

/** A valid-looking value with a NUL in every string it holds, keys included. */
function withNul(value: unknown): unknown {
  if (typeof value === 'string') return `${value}${NUL}x`;
  if (Array.isArray(value)) return value.map(withNul);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withNul(v)]));
  return value;
}

function multipart(parts: string, boundary = 'fuzzboundary'): { body: string; type: string } {
  return { body: parts, type: `multipart/form-data; boundary=${boundary}` };
}

const BROKEN_MULTIPART: Array<{ label: string; body: string; type: string }> = [
  { label: 'multipart without boundary', body: 'garbage', type: 'multipart/form-data' },
  {
    label: 'multipart cut short',
    ...multipart('--fuzzboundary\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nAlamat\nA-1'),
  },
  { label: 'multipart bad part header', ...multipart('--fuzzboundary\r\nthis is not a header\r\n\r\nx\r\n--fuzzboundary--\r\n') },
  {
    label: 'multipart NUL in field and filename',
    ...multipart(
      '--fuzzboundary\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n{"0":"unit\u0000"}\r\n' +
        '--fuzzboundary\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\u0000y\r\n' +
        '--fuzzboundary\r\nContent-Disposition: form-data; name="file"; filename="w\u0000.csv"\r\nContent-Type: text/csv\r\n\r\nAlamat\nA-1\r\n--fuzzboundary--\r\n',
    ),
  },
  {
    label: 'multipart unexpected file field',
    ...multipart('--fuzzboundary\r\nContent-Disposition: form-data; name="other"; filename="a.csv"\r\n\r\nx\r\n--fuzzboundary--\r\n'),
  },
  {
    label: 'multipart too many parts',
    ...multipart(
      Array.from({ length: 60 }, (_, i) => `--fuzzboundary\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`).join('') +
        '--fuzzboundary--\r\n',
    ),
  },
];

interface Backend {
  name: 'sqlite' | 'postgres';
  start(): Promise<{ server: TestServer; dispose(): Promise<void> }>;
}

const BACKENDS: Backend[] = [
  {
    name: 'sqlite',
    async start() {
      const server = await startTestServer({ options: { loginRateLimitPerMinute: 1_000_000 } });
      return { server, dispose: () => server.close() };
    },
  },
  {
    name: 'postgres',
    async start() {
      const database: TestDatabase = await createTestDatabase(inject('pgUrl'));
      const server = await startTestServer({ databaseUrl: database.url, options: { loginRateLimitPerMinute: 1_000_000 } });
      return {
        server,
        async dispose() {
          await server.close();
          await database.drop();
        },
      };
    },
  },
];

async function tableCounts(server: TestServer): Promise<Record<string, number>> {
  const k = server.db.knex;
  const names: string[] =
    k.client.config.client === 'pg'
      ? (
          await k('information_schema.tables')
            .where({ table_schema: k.raw('current_schema()'), table_type: 'BASE TABLE' })
            .select('table_name as name')
        ).map((r: { name: string }) => r.name)
      : (await k('sqlite_master').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%').select('name')).map(
          (r: { name: string }) => r.name,
        );
  const counted = names.filter((n) => n !== 'sessions' && !n.startsWith('knex_')).sort();
  const sql = counted.map((n) => `select '${n}' as name, count(*) as n from "${n}"`).join(' union all ');
  const result = await k.raw(sql);
  const rows: Array<{ name: string; n: unknown }> = Array.isArray(result) ? result : result.rows;
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

describe.each(BACKENDS)('fuzzing every route on $name', (backend) => {
  let server: TestServer;
  let dispose: () => Promise<void>;
  let admin: ApiClient;
  let estateId: string;
  let unitId: string;
  const clients = {} as Record<Credential, ApiClient>;

  beforeAll(async () => {
    ({ server, dispose } = await backend.start());
    ({ client: admin, estateId } = await setupEstate(server.url));
    unitId = (await admin.post(`/estates/${estateId}/units`, { code: 'A-1' })).body.id;
    const device = await admin.post(`/estates/${estateId}/devices`, { name: 'Tablet pos', kind: 'kiosk' });
    const paired = await apiClient(server.url).post(`/estates/${estateId}/devices/pair`, { pairing_code: device.body.pairing_code });
    if (paired.status !== 200) throw new Error(`pairing failed: ${paired.status} ${paired.text}`);
    clients.anonymous = apiClient(server.url);
    clients.admin = admin;
    clients.kiosk = apiClient(server.url).withBearer(paired.body.token);
    const browserDevice = await admin.post(`/estates/${estateId}/devices`, { name: 'Tablet browser', kind: 'kiosk' });
    const browserPaired = await fetch(`${server.url}/api/v1/estates/${estateId}/devices/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-klustera-device': '1' },
      body: JSON.stringify({ pairing_code: browserDevice.body.pairing_code }),
    });
    clients['kiosk-cookie'] = new KioskCookieClient(server.url);
    clients['kiosk-cookie'].cookie = browserPaired.headers
      .getSetCookie()
      .find((c) => c.startsWith('klustera_device='))!
      .split(';')[0];
    for (const credential of ['kiosk', 'kiosk-cookie'] as const) {
      const probe = await clients[credential].get(`/estates/${estateId}/gate/units`);
      if (probe.status !== 200) throw new Error(`${credential} is not signed in: ${probe.status}`);
    }
  }, 60_000);
  afterAll(async () => {
    await dispose?.();
  });

  async function attack(route: RouteDef, credential: Credential): Promise<Attempt[]> {
    const { attempts, pending } = queueAttacks(route, credential);
    await Promise.all(pending);
    return attempts;
  }

  function queueAttacks(route: RouteDef, credential: Credential): { attempts: Attempt[]; pending: Promise<void>[] } {
    const client = clients[credential];
    const method = route.method.toUpperCase();
    const isWrite = route.method !== 'get';
    const attempts: Attempt[] = [];
    // Sent all at once: each is refused on its own, and waiting for one before the next only adds up latencies.
    const pending: Promise<void>[] = [];
    const send = (label: string, path: string, body?: string, type?: string) => {
      pending.push(sendOne(label, path, body, type));
    };
    const sendOne = async (label: string, path: string, body?: string, type?: string) => {
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      let res;
      try {
        res = await client.request(method, path, isWrite ? body : undefined, headers);
      } catch (error) {
        // The server may close the connection on a body it refuses to read; that is not a 5xx.
        attempts.push({ label: `${label} (connection closed: ${(error as Error).message})`, status: 0 });
        return;
      }
      attempts.push({ label, status: res.status, code: typeof res.body === 'object' ? res.body?.error?.code : undefined });
    };
    // The credential that gets past authentication gets every variant; the others need only show that refusing
    // them never trips over the malformed input first.
    const full =
      credential === 'admin' ||
      (credential === 'anonymous' && route.permission === 'public') ||
      (credential.startsWith('kiosk') && route.permission.startsWith('gate.'));
    const path = fillPath(route.path, { estate_id: estateId, id: unitId, code: 'ZZZZZZZZ', default: unitId });
    for (const param of route.path.match(/:(\w+)/g) ?? []) {
      send(
        `NUL in ${param}`,
        fillPath(route.path.replace(param, 'x%00y'), { estate_id: estateId, default: unitId }),
        '{}',
        'application/json',
      );
    }
    const queryKeys = Object.keys(jsonSchemaOf(route.query)?.properties ?? {});
    if (full) {
      for (const name of queryKeys) send(`NUL in ?${name}`, `${path}?${encodeURIComponent(name)}=a%00b`, '{}', 'application/json');
    }
    send(
      'NUL in the query',
      `${path}?${[...queryKeys, 'q'].map((k) => `${encodeURIComponent(k)}=a%00b`).join('&')}&a%00b=1`,
      '{}',
      'application/json',
    );
    if (!isWrite) return { attempts, pending };

    const bodySchema = jsonSchemaOf(route.body);
    const valid = ((bodySchema ? plausibleValue(bodySchema) : {}) ?? {}) as Record<string, unknown>;
    const withNulBody = JSON.stringify(withNul(valid));
    if (withNulBody.includes('\\u0000')) send('NUL in every string of the body', path, withNulBody, 'application/json');
    if (full && typeof valid === 'object' && !Array.isArray(valid)) {
      for (const [name, value] of Object.entries(valid)) {
        const poisoned = JSON.stringify({ ...valid, [name]: withNul(value) });
        if (poisoned.includes('\\u0000')) send(`NUL in body ${name}`, path, poisoned, 'application/json');
        if (value !== null && typeof value === 'object') {
          send(
            `deep JSON in body ${name}`,
            path,
            JSON.stringify({ ...valid, [name]: '@@DEEP@@' }).replace('"@@DEEP@@"', deepObject),
            'application/json',
          );
        }
      }
      send('NUL in a body key', path, JSON.stringify({ ...valid, [`k${NUL}`]: 1 }), 'application/json');
      send('NUL as the whole body', path, JSON.stringify(NUL), 'application/json');
      send('deep JSON object', path, deepObject, 'application/json');
      send('oversized JSON', path, JSON.stringify({ ...valid, notes: 'x'.repeat(1_100_000) }), 'application/json');
    }
    send('deep JSON array', path, deepArray, 'application/json');
    send('malformed JSON', path, '{"name": "A-1",', 'application/json');
    // A route that reads no body does not care what content type a body claims.
    if (!route.body && !route.upload) return { attempts, pending };
    send('JSON in UTF-16', path, JSON.stringify(valid), 'application/json; charset=utf-16');
    send('JSON as text/plain', path, JSON.stringify(valid), 'text/plain');
    if (full) {
      send('XML body', path, '<estate><name>x</name></estate>', 'application/xml');
      send('form-urlencoded body', path, 'name=a%00b', 'application/x-www-form-urlencoded');
    }
    for (const broken of route.upload ? BROKEN_MULTIPART : BROKEN_MULTIPART.slice(1, 2)) send(broken.label, path, broken.body, broken.type);
    return { attempts, pending };
  }

  it('covers the route table', () => {
    expect(allRoutes.length).toBeGreaterThan(100);
    expect(allRoutes.filter((r) => r.upload).length).toBeGreaterThanOrEqual(3);
  });

  for (const route of allRoutes) {
    it(`${route.method.toUpperCase()} ${route.path}`, async () => {
      const before = route.method !== 'get' ? await tableCounts(server) : undefined;
      const failures: string[] = [];
      const credentials = ['anonymous', 'admin', 'kiosk', 'kiosk-cookie'] as const;
      const results = await Promise.all(credentials.map((credential) => attack(route, credential)));
      results.forEach((attempts, i) => {
        for (const a of attempts) {
          const stable = a.code !== undefined && /^[A-Z][A-Z0-9_]+$/.test(a.code);
          if (a.status >= 500 || a.status < 400 || !stable) failures.push(`${credentials[i]} · ${a.label} → ${a.status} ${a.code ?? ''}`);
        }
      });
      expect(failures).toEqual([]);
      if (before) expect(await tableCounts(server)).toEqual(before);
      // A refused logout must not have ended the administrator's session; if a route did, sign in again.
      if ((await admin.get('/auth/me')).status === 401) await admin.post('/auth/login', { login: ADMIN.email, password: ADMIN.password });
    });
  }
});
