import { afterEach, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../server/config.ts';
import { ADMIN, setupEstate, startTestServer, type TestServer } from '../support/server.ts';

/** The session cookie is `Secure` whenever the request is HTTPS as seen through the proxies the server trusts. */
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function sessionCookie(s: TestServer, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${s.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ login: ADMIN.email, password: ADMIN.password }),
  });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().find((c) => c.startsWith('klustera_session='))!;
}

describe('session cookie behind a TLS proxy', () => {
  it('is Secure when a trusted proxy (loopback by default) says the request was HTTPS, and not on plain HTTP', async () => {
    server = await startTestServer();
    await setupEstate(server.url);
    expect(await sessionCookie(server, {})).not.toMatch(/;\s*Secure/i);
    const viaProxy = await sessionCookie(server, { 'x-forwarded-proto': 'https' });
    expect(viaProxy).toMatch(/;\s*Secure/i);
    expect(viaProxy).toMatch(/HttpOnly/i);
    expect(viaProxy).toMatch(/SameSite=Lax/i);
  });

  it('ignores X-Forwarded-Proto from a hop that is not trusted', async () => {
    server = await startTestServer({ options: { trustProxy: '10.0.0.0/8' } });
    await setupEstate(server.url);
    expect(await sessionCookie(server, { 'x-forwarded-proto': 'https' })).not.toMatch(/;\s*Secure/i);
  });

  it('reads --trust-proxy / KLUSTERA_TRUST_PROXY values and refuses ones Express cannot use', () => {
    expect(parseTrustProxy(undefined)).toBeUndefined();
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('false')).toBe(false);
    expect(() => parseTrustProxy('not-an-address')).toThrow(/trust proxy/);
  });
});

describe('Content-Security-Policy', () => {
  it('allows only same-origin scripts on the pages and the API', async () => {
    server = await startTestServer();
    for (const path of ['/', '/kiosk', '/api/v1/health']) {
      const csp = (await fetch(`${server.url}${path}`)).headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).toContain("frame-ancestors 'none'");
    }
  });
});
