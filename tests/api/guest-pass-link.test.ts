// The WhatsApp message a resident sends a guest: it carries the entry code and a link, at the address phones open,
// to a page with the QR code it tells the guest to show. The page opens without an account, for that pass only.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/server.ts';
import { gatePostWorld, hoursFromNow, residentOf, type GatePostWorld } from './gate-post-fixture.ts';

const PHONE_ADDRESS = 'http://192.168.1.50:4780';
let w: GatePostWorld;
let resident: Awaited<ReturnType<typeof residentOf>>;

beforeAll(async () => {
  w = await gatePostWorld(undefined, await startTestServer({ publicUrl: PHONE_ADDRESS }));
  resident = await residentOf(w);
});
afterAll(async () => {
  await w?.server.close();
});

/** The link the message gives, opened on this test server instead of the LAN address. */
const openHere = (link: string) => fetch(link.replace(PHONE_ADDRESS, w.server.url));

function qrOf(html: string): string | null {
  const src = /<img src="data:image\/png;base64,([^"]+)"/.exec(html)?.[1];
  if (!src) return null;
  const png = PNG.sync.read(Buffer.from(src, 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

async function guestPass(name: string) {
  const res = await resident.client.post(`${w.base}/portal/passes`, {
    name,
    phone: '0813-1111-2222',
    valid_from: hoursFromNow(-0.5),
    valid_until: hoursFromNow(6),
  });
  expect(res.status, res.text).toBe(201);
  const text = new URL(res.body.whatsapp_url).searchParams.get('text')!;
  return { pass: res.body, text, link: /https?:\/\/\S+/.exec(text)?.[0] ?? '' };
}

describe('the guest WhatsApp message', () => {
  it('gives the entry code and a link at the public address to the QR code the gate accepts', async () => {
    const { pass, text, link } = await guestPass('Rina Wijaya');
    expect(text).toContain(`Kode masuk: ${pass.code}`);
    expect(link).toBe(`${PHONE_ADDRESS}/api/v1/guest-passes/${pass.qr_payload}`);

    const page = await openHere(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('Rina Wijaya');
    expect(html).toContain('A-12');
    expect(html).toContain(pass.code);
    expect(qrOf(html)).toBe(pass.qr_payload);

    // What the page shows is what the guard's scanner accepts.
    const scan = await w.kiosk.post(`${w.base}/gate/scan`, { payload: qrOf(html) });
    expect(scan.body.verdict).toBe('accepted');
  });

  it('shows a cancelled pass as cancelled, without its QR code', async () => {
    const { pass, link } = await guestPass('Tamu Batal');
    expect((await resident.client.post(`${w.base}/portal/passes/${pass.id}/revoke`)).status).toBe(200);
    const page = await openHere(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Dibatalkan');
    expect(html).not.toContain(pass.code);
    expect(qrOf(html)).toBeNull();
  });

  it("answers 404 to an edited or invented link, and never opens a resident's own pass", async () => {
    const { pass } = await guestPass('Tamu Asli');
    const payload: string = pass.qr_payload;
    const flipped = payload.slice(0, -3) + (payload.at(-3) === 'A' ? 'B' : 'A') + payload.slice(-2);
    const own = (await resident.client.get(`${w.base}/portal/passes`)).body.resident[0].qr_payload as string;
    for (const token of [flipped, 'KL1.AAAA', 'bukan-kartu', own, encodeURIComponent('KL1.' + 'A'.repeat(300))]) {
      const res = await fetch(`${w.server.url}/api/v1/guest-passes/${token}`);
      expect([400, 404], token).toContain(res.status);
      const html = await res.text();
      expect(html).not.toContain(pass.code);
      expect(html).not.toContain('Budi Santoso');
    }
  });
});
