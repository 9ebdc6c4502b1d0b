import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../server/http/routes-index.ts';
import { apiClient, setupEstate, startTestServer, tableNames, type ApiClient, type TestServer } from '../support/server.ts';
import { fillPath, isStringSchema, jsonSchemaOf, plausibleValue, wrongTypeValue } from '../support/route-sweep.ts';

/**
 * Every write route, called by an administrator (so permission is not what stops it) with malformed JSON, a
 * non-object body, missing fields, each field of the wrong type, oversized strings and an oversized body: each answer
 * is a 4xx with a stable code, and not one row changes anywhere in the database.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;
let unitId: string;

async function tableCounts(): Promise<Record<string, number>> {
  const k = server.db.knex;
  const out: Record<string, number> = {};
  for (const name of await tableNames(k)) {
    // A rate limiter counts every attempt, good or bad: that is its job, not data written by the request.
    if (name === 'sessions' || name === 'rate_limit_hits') continue;
    out[name] = Number((await k(name).count({ n: '*' }))[0].n);
  }
  return out;
}

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 100_000 } });
  ({ client: admin, estateId } = await setupEstate(server.url));
  unitId = (await admin.post(`/estates/${estateId}/units`, { code: 'A-1' })).body.id;
});
afterAll(async () => {
  await server.close();
});

const SKIP_NO_BODY = new Set(['POST /auth/logout']);

describe('bad input on every write route', () => {
  const writes = allRoutes.filter((r) => r.method !== 'get' && !SKIP_NO_BODY.has(`${r.method.toUpperCase()} ${r.path}`));

  it('covers the write routes', () => {
    expect(writes.length).toBeGreaterThan(8);
  });

  for (const route of writes) {
    it(`${route.method.toUpperCase()} ${route.path}`, async () => {
      const path = fillPath(route.path, { estate_id: estateId, id: unitId, code: 'ZZZZZZZZ', default: unitId });
      const method = route.method.toUpperCase();
      const before = await tableCounts();
      const statuses: Array<[string, number, string]> = [];
      const send = async (label: string, body: unknown, headers: Record<string, string> = {}) => {
        const res = await admin.request(method, path, body, headers);
        statuses.push([label, res.status, res.body?.error?.code]);
        return res;
      };

      await send('malformed json', '{"name": "A-1",', { 'content-type': 'application/json' });
      await send('oversized body', JSON.stringify({ notes: 'x'.repeat(2_000_000) }), { 'content-type': 'application/json' });
      const schema = jsonSchemaOf(route.body);
      if (schema) {
        await send('array body', [1, 2, 3]);
        await send('null body', 'null', { 'content-type': 'application/json' });
        if (schema.required?.length) await send('empty object', {});
        const valid = (plausibleValue(schema) ?? {}) as Record<string, unknown>;
        for (const [name, prop] of Object.entries(schema.properties ?? {})) {
          const wrong = wrongTypeValue(prop);
          if (wrong !== Symbol.for('skip')) {
            const res = await send(`wrong type ${name}`, { ...valid, [name]: wrong });
            if (res.status === 400 && res.body.error.code === 'VALIDATION_FAILED')
              expect(res.body.error.field, `${name} of ${route.path}`).toBeTruthy();
          }
          if (isStringSchema(prop)) await send(`oversized ${name}`, { ...valid, [name]: 'x'.repeat(300_000) });
        }
      }
      for (const [label, status, code] of statuses) {
        expect(status, `${label} → ${status} ${code}`).toBeGreaterThanOrEqual(400);
        expect(status, `${label} → ${status} ${code}`).toBeLessThan(500);
        expect(code, `${label} has a stable error code`).toMatch(/^[A-Z][A-Z0-9_]+$/);
      }
      expect(await tableCounts()).toEqual(before);
    });
  }
});

describe('bad query strings on list routes', () => {
  for (const route of allRoutes.filter((r) => r.method === 'get' && r.query)) {
    it(`GET ${route.path}`, async () => {
      const path = fillPath(route.path, { estate_id: estateId, id: unitId, default: unitId });
      const schema = jsonSchemaOf(route.query)!;
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        for (const bad of ['%00', 'x'.repeat(5000), '-1', '1e999']) {
          const res = await admin.get(`${path}?${encodeURIComponent(name)}=${encodeURIComponent(bad)}`);
          expect(res.status, `${name}=${bad.slice(0, 10)} → ${res.status}`).toBeLessThan(500);
        }
        const res = await admin.get(`${path}?${encodeURIComponent(name)}=a&${encodeURIComponent(name)}=b`);
        expect(res.status, `${name} repeated`).toBeLessThan(500);
        void prop;
      }
    });
  }
});

describe('limits held at the edge, before authentication', () => {
  it('answers an anonymous upload before reading its body', async () => {
    const url = new URL(`${server.url}/api/v1/estates/${estateId}/imports/units`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(4 * 1024 * 1024) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', (error) => {
        if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
      });
      // Only the start of a 4 MB body: a server that buffers the upload first would still be waiting for the rest.
      req.write('--b\r\nContent-Disposition: form-data; name="file"; filename="warga.csv"\r\n\r\nAlamat\n');
      setTimeout(() => reject(new Error('no answer before the body was complete')), 3000).unref();
    });
    expect(status).toBe(401);
  });

  it('refuses NUL bytes on the public token route and in query strings with NUL_BYTE', async () => {
    const token = await apiClient(server.url).post('/auth/token', {
      login: `ketua${'\u0000'}@griya-asri.id`,
      password: 'x',
      name: 'skrip',
    });
    expect(token.status).toBe(400);
    expect(token.body.error.code).toBe('NUL_BYTE');
    const query = await admin.get(`/estates/${estateId}/units?q=A%00`);
    expect(query.body.error.code).toBe('NUL_BYTE');
  });

  it('refuses estate settings nested past 32 levels with JSON_TOO_DEEP, and keeps shallow ones', async () => {
    const deep = '{"a":'.repeat(2000) + '1' + '}'.repeat(2000);
    const res = await admin.request('PATCH', `/estates/${estateId}`, `{"settings": ${deep}}`, { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('JSON_TOO_DEEP');
    const ok = await admin.patch(`/estates/${estateId}`, { settings: { receipt: { footer: { line: 'Terima kasih' } } } });
    expect(ok.status).toBe(200);
  });

  it('maps broken multipart bodies to 4xx codes for a signed-in administrator', async () => {
    const path = `/estates/${estateId}/imports/units`;
    const cut = await admin.request('POST', path, '--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nAlamat', {
      'content-type': 'multipart/form-data; boundary=b',
    });
    expect([cut.status, cut.body.error.code]).toEqual([400, 'MALFORMED_MULTIPART']);
    const other = await admin.upload(path, {}, { lampiran: { filename: 'a.csv', content: Buffer.from('Alamat\nA-1\n') } });
    expect([other.status, other.body.error.code]).toEqual([400, 'UPLOAD_UNEXPECTED_FIELD']);
  });
});
