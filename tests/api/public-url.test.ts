import http from 'node:http';
import type { NetworkInterfaceInfo } from 'node:os';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/start.ts';
import { apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * The address in links and QR codes that leave the screen: the LAN address by default when serving on every interface,
 * the installation administrator's choice, or the one fixed at startup; never the Host header a request brings.
 */
const nic = (address: string, internal = false) =>
  ({ address, internal, family: 'IPv4', netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null }) as NetworkInterfaceInfo;
const OFFICE_PC = { lo: [nic('127.0.0.1', true)], docker0: [nic('172.17.0.1')], wlan0: [nic('192.168.1.23')] };

let server: TestServer;
let platform: ApiClient;
let estateId: string;
let lan: string;
const e = (p: string) => `/estates/${estateId}${p}`;

beforeAll(async () => {
  server = await startTestServer({ host: '0.0.0.0', networkInterfaces: OFFICE_PC, options: { loginRateLimitPerMinute: 1000 } });
  lan = `http://192.168.1.23:${server.port}`;
  ({ client: platform, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server?.close();
});

/** A request with whatever Host and X-Forwarded-Host an attacker likes (fetch does not let a caller set Host). */
function forged(client: ApiClient, method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
  const url = new URL(`${server.url}/api/v1${p}`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: url.port,
        path: url.pathname,
        method,
        headers: {
          host: 'evil.example',
          'x-forwarded-host': 'evil.example',
          'x-forwarded-proto': 'https',
          cookie: client.cookie!,
          'x-csrf-token': client.csrf!,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (c) => (text += c))
          .on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const savedRows = async () => Number((await server.db.knex('installation_settings').count({ n: '*' }))[0]!.n);

let invited = 0;
async function inviteLinks(client: ApiClient = platform) {
  invited += 1;
  const res = await client.post(e('/users'), {
    name: `Bu Sari ${invited}`,
    phone: `0812-3456-78${String(invited).padStart(2, '0')}`,
    role: 'treasurer',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.invite as { code: string; url: string; whatsapp_url: string };
}

describe('by default, serving on 0.0.0.0', () => {
  it('is the LAN address, and says so', async () => {
    const res = await platform.get('/installation/public-url');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ public_url: lan, source: 'lan', stored: null, default_url: lan, editable: true });
  });

  it('invite links and their WhatsApp text point at the LAN address, not 127.0.0.1', async () => {
    const invite = await inviteLinks();
    expect(invite.url).toBe(`${lan}/portal/invite/${invite.code}`);
    expect(decodeURIComponent(invite.whatsapp_url)).toContain(`${lan}/portal/invite/${invite.code}`);
    expect(invite.whatsapp_url).not.toContain('127.0.0.1');
  });

  it('a forged Host or X-Forwarded-Host header does not change an invite link', async () => {
    const res = await forged(platform, 'POST', e('/users'), { name: 'Pak Tamu', phone: '0812-1111-2222', role: 'staff' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.invite.url).toBe(`${lan}/portal/invite/${res.body.invite.code}`);
    expect(JSON.stringify(res.body)).not.toContain('evil.example');
  });

  it("the receipt's verify link (its QR code) uses the LAN address, whatever the Host header", async () => {
    const unit = await platform.post(e('/units'), { code: 'A-12', block: 'A', type: 'rumah', occupancy: 'occupied' });
    const paid = await platform.post(e('/payments'), {
      unit_id: unit.body.id,
      amount: 150_000,
      method: 'cash',
      paid_at: '2026-11-21T07:05:00.000Z',
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    const receipt = await platform.get(e(`/payments/${paid.body.id}/receipt`));
    expect(receipt.body.verify_url).toMatch(new RegExp(`^${lan}/api/v1/receipts/verify/[\\w-]{24}$`));
    const viaForgedHost = await forged(platform, 'GET', e(`/payments/${paid.body.id}/receipt`));
    expect(viaForgedHost.body.verify_url).toBe(receipt.body.verify_url);
  });

  it("the kiosk pairing link is the estate's kiosk at the LAN address, whatever the Host header", async () => {
    const device = await forged(platform, 'POST', e('/devices'), { name: 'Tablet pos depan', kind: 'kiosk' });
    expect(device.status, JSON.stringify(device.body)).toBe(201);
    expect(device.body.pairing_url).toBe(`${lan}/kiosk?estate=${estateId}`);
    const again = await platform.post(e(`/devices/${device.body.device.id}/pairing-code`));
    expect(again.body.pairing_url).toBe(`${lan}/kiosk?estate=${estateId}`);
  });
});

describe("the estate's own address for receipt QR codes (receipt settings)", () => {
  it('follows the same rules: credentials or a path are refused with 400 PUBLIC_URL_INVALID', async () => {
    for (const value of ['http://kantor.griya-asri.id@evil.example', 'http://192.168.1.10:8080/portal']) {
      const res = await platform.put(e('/settings/receipt'), { public_base_url: value });
      expect(res.status, value).toBe(400);
      expect(res.body.error, value).toMatchObject({ code: 'PUBLIC_URL_INVALID', field: 'public_base_url' });
    }
    expect((await platform.get(e('/settings/receipt'))).body.public_base_url ?? null).toBeNull();
  });

  it('an address saved under looser rules is not put on a receipt: the installation address is', async () => {
    expect((await platform.put(e('/settings/receipt'), { public_base_url: 'http://192.168.1.10:8080/' })).status).toBe(200);
    const row = await server.db.knex('estate_settings').where({ estate_id: estateId, key: 'receipt' }).first();
    await server.db
      .knex('estate_settings')
      .where({ id: row.id })
      .update({ value: JSON.stringify({ ...JSON.parse(row.value), public_base_url: 'http://kantor.griya-asri.id@evil.example' }) });
    const unit = await platform.post(e('/units'), { code: 'B-3', block: 'B', type: 'rumah', occupancy: 'occupied' });
    const paid = await platform.post(e('/payments'), {
      unit_id: unit.body.id,
      amount: 150_000,
      method: 'cash',
      paid_at: '2026-11-21T07:05:00.000Z',
    });
    const receipt = await platform.get(e(`/payments/${paid.body.id}/receipt`));
    expect(receipt.body.verify_url).toMatch(new RegExp(`^${lan}/api/v1/receipts/verify/[\\w-]{24}$`));
    expect((await platform.put(e('/settings/receipt'), { paper: 'A5', public_base_url: null })).status).toBe(200);
  });
});

describe('set on the settings screen', () => {
  it('only the installation administrator may change it; office roles may read it; anonymous callers neither', async () => {
    for (const role of ['estate_admin', 'treasurer', 'staff', 'guard', 'resident']) {
      const { client } = await userWithRole(server.url, platform, estateId, role);
      expect((await client.put('/installation/public-url', { public_url: 'https://evil.example' })).status, role).toBe(403);
      expect((await client.get('/installation/public-url')).body.public_url, role).toBe(lan);
    }
    const anonymous = apiClient(server.url);
    expect((await anonymous.get('/installation/public-url')).status).toBe(401);
    expect((await anonymous.put('/installation/public-url', { public_url: 'https://evil.example' })).status).toBe(401);
    expect(await savedRows()).toBe(0);
  });

  it.each([
    ['javascript:alert(1)'],
    ['ftp://klustera.example.id'],
    ['http://admin:sandi@klustera.example.id'],
    ['http://klustera.example.id@evil.example'],
    ['http://evil.example\\@klustera.example.id'],
    ['http://klustera.example.id/portal'],
    ['http://klustera.example.id/?next=//evil.example'],
    ['http://klustera.example.id#top'],
    ['http://klustera.example.id:70000'],
    ['klustera.example.id'],
    [`https://${'a'.repeat(300)}.id`],
  ])('refuses %j with 400 PUBLIC_URL_INVALID and writes nothing', async (value) => {
    const res = await platform.put('/installation/public-url', { public_url: value });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'PUBLIC_URL_INVALID', field: 'public_url' });
    expect(await savedRows()).toBe(0);
  });

  it('refuses a body that is not one string or null with 400', async () => {
    for (const body of [{ public_url: 42 }, { public_url: ['http://a.id'] }, {}, { public_url: 'http://a.id', extra: 1 }]) {
      const res = await platform.put('/installation/public-url', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('is used at once by invites, receipts and pairing, audited, and not synced', async () => {
    const res = await platform.put('/installation/public-url', { public_url: ' HTTPS://Klustera.Griya-Asri.ID/ ' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      public_url: 'https://klustera.griya-asri.id',
      source: 'setting',
      stored: 'https://klustera.griya-asri.id',
      default_url: lan,
      editable: true,
    });
    const invite = await inviteLinks();
    expect(invite.url).toBe(`https://klustera.griya-asri.id/portal/invite/${invite.code}`);
    const device = await platform.post(e('/devices'), { name: 'Tablet pos belakang', kind: 'kiosk' });
    expect(device.body.pairing_url).toBe(`https://klustera.griya-asri.id/kiosk?estate=${estateId}`);
    const audit = await server.db.knex('audit_log').where({ action: 'installation.public_url.update' });
    expect(audit).toMatchObject([{ entity_table: 'installation_settings', actor_role: 'platform_admin', estate_id: null }]);
    expect(await server.db.knex('outbox').where({ table_name: 'installation_settings' })).toEqual([]);
  });

  it('null goes back to the LAN address', async () => {
    const res = await platform.put('/installation/public-url', { public_url: null });
    expect(res.body).toMatchObject({ public_url: lan, source: 'lan', stored: null });
    expect((await inviteLinks()).url.startsWith(`${lan}/portal/invite/`)).toBe(true);
  });
});

describe('kept across restarts, and fixed by --public-url', () => {
  it('a saved address survives a restart; --public-url wins over it and cannot be changed from the screen', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-public-url-'));
    try {
      let s = await startServer({ dataDir, port: 0, host: '127.0.0.1', backgroundJobs: false });
      const admin = (await setupEstate(s.url)).client;
      expect((await admin.get('/installation/public-url')).body).toMatchObject({ public_url: s.url, source: 'local' });
      expect((await admin.put('/installation/public-url', { public_url: 'http://10.1.2.3:4780' })).status).toBe(200);
      await s.close();

      s = await startServer({ dataDir, port: 0, host: '127.0.0.1', backgroundJobs: false });
      const again = apiClient(s.url);
      await again.post('/auth/login', { login: 'ketua@griya-asri.id', password: 'rahasia-ketua-1' });
      expect((await again.get('/installation/public-url')).body).toMatchObject({ public_url: 'http://10.1.2.3:4780', source: 'setting' });
      await s.close();

      s = await startServer({ dataDir, port: 0, host: '127.0.0.1', backgroundJobs: false, publicUrl: 'https://klustera.example.id/' });
      const fixed = apiClient(s.url);
      await fixed.post('/auth/login', { login: 'ketua@griya-asri.id', password: 'rahasia-ketua-1' });
      expect((await fixed.get('/installation/public-url')).body).toMatchObject({
        public_url: 'https://klustera.example.id',
        source: 'startup',
        editable: false,
      });
      const put = await fixed.put('/installation/public-url', { public_url: 'http://10.9.9.9' });
      expect(put.status).toBe(409);
      expect(put.body.error.code).toBe('PUBLIC_URL_SET_AT_STARTUP');
      await s.close();

      await expect(
        startServer({ dataDir, port: 0, host: '127.0.0.1', backgroundJobs: false, publicUrl: 'http://user:pw@evil.example' }),
      ).rejects.toThrow(/--public-url/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
