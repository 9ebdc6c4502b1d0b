import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * A browser kiosk's device credential is an httpOnly cookie the server sets at pairing, never a token its scripts can
 * read; scripts that pair without asking for the cookie keep getting a bearer token.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server?.close();
});

async function newPairingCode(): Promise<{ code: string; deviceId: string }> {
  const res = await admin.post(`/estates/${estateId}/devices`, { name: `Tablet ${Math.random()}`, kind: 'kiosk' });
  return { code: res.body.pairing_code, deviceId: res.body.device.id };
}

const api = (path: string) => `${server.url}/api/v1/estates/${estateId}${path}`;

async function pairAsBrowser(code: string): Promise<{ body: any; cookie: string }> {
  const res = await fetch(api('/devices/pair'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-klustera-device': '1' },
    body: JSON.stringify({ pairing_code: code }),
  });
  expect(res.status).toBe(200);
  return { body: await res.json(), cookie: res.headers.getSetCookie().find((c) => c.startsWith('klustera_device='))! };
}

describe('kiosk device cookie', () => {
  it('is set httpOnly, SameSite=Strict and scoped to the estate API, with no token in the body', async () => {
    const { body, cookie } = await pairAsBrowser((await newPairingCode()).code);
    expect(body.token).toBeUndefined();
    expect(body).toMatchObject({ credential: 'cookie', device: { status: 'paired' } });
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toContain(`Path=/api/v1/estates/${estateId}/`);
  });

  it('authenticates the kiosk only together with the X-Klustera-Device header, and stops once revoked', async () => {
    const { code, deviceId } = await newPairingCode();
    const { cookie } = await pairAsBrowser(code);
    const pair = cookie.split(';')[0];
    const withHeader = await fetch(api('/gate/units'), { headers: { cookie: pair, 'x-klustera-device': '1' } });
    expect(withHeader.status).toBe(200);
    // Without the header the cookie is not a credential: a cross-site request cannot add the header.
    expect((await fetch(api('/gate/units'), { headers: { cookie: pair } })).status).toBe(401);
    const crossSite = await fetch(api('/gate/shifts/current/end'), {
      method: 'POST',
      headers: { cookie: pair, 'x-klustera-device': '1', origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect((await admin.post(`/estates/${estateId}/devices/${deviceId}/revoke`)).status).toBe(200);
    expect((await fetch(api('/gate/units'), { headers: { cookie: pair, 'x-klustera-device': '1' } })).status).toBe(401);
  });

  it('never lets the kiosk header fall back to an office session open in the same browser', async () => {
    const res = await fetch(api('/gate/units'), { headers: { cookie: admin.cookie!, 'x-klustera-device': '1' } });
    expect(res.status).toBe(401);
  });

  it('still gives scripts a bearer token when they pair without the header', async () => {
    const res = await apiClient(server.url).post(`/estates/${estateId}/devices/pair`, { pairing_code: (await newPairingCode()).code });
    expect(res.status).toBe(200);
    expect(typeof res.body.token).toBe('string');
    expect((await apiClient(server.url).withBearer(res.body.token).get(`/estates/${estateId}/gate/units`)).status).toBe(200);
  });
});
