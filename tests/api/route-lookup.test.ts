import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, type TestServer } from '../support/server.ts';

/**
 * The API's route table (server/http/pipeline.ts) matches paths as Express did before it: these are the edges where a
 * radix-tree router could differ from Express's pattern list.
 */
let server: TestServer;
let cookieAuth: Record<string, string>;
let estateId: string;

beforeAll(async () => {
  server = await startTestServer();
  const setup = await setupEstate(server.url);
  estateId = setup.estateId;
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: setup.admin.email, password: setup.admin.password }),
  });
  cookieAuth = {
    cookie: login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
  };
});
afterAll(async () => {
  await server.close();
});

describe('finding the route of a request', () => {
  it("reaches a route whose parameter is longer than 100 characters (a guest pass link's signed token)", async () => {
    const res = await fetch(`${server.url}/api/v1/guest-passes/${'A'.repeat(150)}`);
    // The guest-pass route's own page for an unknown pass, not the API's JSON 404 for an unknown address.
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('prefers a fixed path over a parameter, whatever order the routes were declared in', async () => {
    const res = await fetch(`${server.url}/api/v1/estates/${estateId}/units/search?q=a`, { headers: cookieAuth });
    expect(res.status).toBe(200);
    expect(Array.isArray((await res.json()).items)).toBe(true);
  });

  it('ignores letter case and a trailing slash, and answers HEAD from the GET route', async () => {
    expect((await fetch(`${server.url}/api/v1/HEALTH/`)).status).toBe(200);
    const head = await fetch(`${server.url}/api/v1/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers a parameter that is not valid percent-encoding with 400, and an unknown address with 404 NOT_FOUND', async () => {
    const bad = await fetch(`${server.url}/api/v1/estates/${estateId}/units/%E0%A4%A`, { headers: cookieAuth });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('BAD_REQUEST');
    const unknown = await fetch(`${server.url}/api/v1/estates/${estateId}/no-such-thing`, { headers: cookieAuth });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('NOT_FOUND');
    // The right path with a method it does not have is an unknown address too, never a handler run.
    const wrongMethod = await fetch(`${server.url}/api/v1/health`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(404);
  });
});
