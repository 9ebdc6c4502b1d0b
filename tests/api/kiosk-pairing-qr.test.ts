// Kiosk pairing by QR: the office's answer carries a QR code of the kiosk page at the installation's public address
// with the one-time pairing code, so a tablet's camera opens the kiosk ready to pair.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

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

function decodeDataUrlQr(dataUrl: string): string | undefined {
  expect(dataUrl.startsWith('data:image/png;base64,')).toBe(true);
  const image = PNG.sync.read(Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64'));
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

describe('kiosk pairing QR', () => {
  it('holds the public kiosk address with the code, and that code pairs once', async () => {
    const publicUrl = (await admin.get('/installation/public-url')).body.public_url as string;
    const created = await admin.post(`/estates/${estateId}/devices`, { name: 'Tablet QR', kind: 'kiosk' });
    expect(created.status, created.text).toBe(201);
    const scanned = decodeDataUrlQr(created.body.pairing_qr);
    expect(scanned).toBe(created.body.pairing_qr_url);
    const url = new URL(scanned!);
    expect(`${url.origin}`).toBe(publicUrl);
    expect(url.pathname).toBe('/kiosk');
    expect(url.searchParams.get('estate')).toBe(estateId);
    expect(url.searchParams.get('code')).toBe(created.body.pairing_code);

    const paired = await apiClient(server.url).post(`/estates/${estateId}/devices/pair`, { pairing_code: url.searchParams.get('code') });
    expect(paired.status).toBe(200);
    const replay = await apiClient(server.url).post(`/estates/${estateId}/devices/pair`, { pairing_code: url.searchParams.get('code') });
    expect(replay.body.error.code).toBe('PAIRING_CODE_INVALID');

    // A new code for the same tablet gets a new QR; the old one stays used up.
    const again = await admin.post(`/estates/${estateId}/devices/${created.body.device.id}/pairing-code`);
    expect(again.status).toBe(200);
    const second = new URL(decodeDataUrlQr(again.body.pairing_qr)!);
    expect(second.searchParams.get('code')).toBe(again.body.pairing_code);
    expect(second.searchParams.get('code')).not.toBe(url.searchParams.get('code'));
  });

  it('is given only to those who may add devices', async () => {
    for (const path of ['/devices', '/devices/0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/pairing-code']) {
      const res = await apiClient(server.url).post(`/estates/${estateId}${path}`, { name: 'x', kind: 'kiosk' });
      expect(res.status).toBe(401);
      expect(JSON.stringify(res.body)).not.toContain('pairing_qr');
    }
  });
});
