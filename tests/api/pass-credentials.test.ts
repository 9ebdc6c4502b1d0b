// The guard post gets verdicts, not credentials: neither the guard role nor a kiosk's device token may read a pass's
// signed QR payload, its typed code, its QR image or the holder's phone from any passes/ or gate/ route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userWithRole, type ApiClient } from '../support/server.ts';
import { gatePostWorld, hoursFromNow, residentOf, type GatePostWorld } from './gate-post-fixture.ts';

let w: GatePostWorld;
let guard: ApiClient;
let resident: Awaited<ReturnType<typeof residentOf>>;
const secrets: string[] = [];
const phones: string[] = [];
let guestId: string;

beforeAll(async () => {
  w = await gatePostWorld();
  resident = await residentOf(w);
  guard = (await userWithRole(w.server.url, w.admin, w.estateId, 'guard')).client;

  const office = await w.admin.post(`${w.base}/passes`, {
    kind: 'guest',
    unit_id: w.unitId,
    name: 'Rina Wijaya',
    phone: '0813-1111-2222',
    plate: 'B 1234 XYZ',
    purpose: 'Arisan',
    valid_from: hoursFromNow(-1),
    valid_until: hoursFromNow(6),
    max_uses: 3,
  });
  expect(office.status, office.text).toBe(201);
  guestId = office.body.id;
  const portal = await resident.client.post(`${w.base}/portal/passes`, { name: 'Dedi Kurir', phone: '0857-3333-4444', kind: 'temporary' });
  expect(portal.status, portal.text).toBe(201);
  const own = await resident.client.get(`${w.base}/portal/passes`);
  expect(own.status).toBe(200);
  for (const p of [office.body, portal.body, ...own.body.resident]) {
    secrets.push(p.qr_payload, p.code);
    if (p.phone) phones.push(p.phone.replace(/\D/g, '').slice(-8));
  }
  expect(secrets.every(Boolean)).toBe(true);
  expect(phones.length).toBeGreaterThanOrEqual(2);

  // A guest inside (their visit copies the pass's phone) and a walk-in with a phone typed at the gate.
  expect((await w.kiosk.post(`${w.base}/gate/scan`, { payload: office.body.qr_payload })).body.verdict).toBe('accepted');
  const walkIn = await w.kiosk.post(`${w.base}/gate/walk-ins`, { name: 'Tamu Tanpa Kartu', phone: '0878-5555-6666', unit_id: w.unitId });
  expect(walkIn.status, walkIn.text).toBe(201);
  phones.push('55556666');
});
afterAll(async () => {
  await w?.server.close();
});

function assertNoCredentials(label: string, text: string) {
  expect(text, label).not.toMatch(/qr_payload|qr_image_url|whatsapp_url|"phone"|PRIVATE KEY|KL1\./);
  for (const secret of secrets) expect(text.includes(secret), `${label} contains a credential`).toBe(false);
  for (const phone of phones) expect(text.replace(/\D/g, ''), `${label} contains a phone number`).not.toContain(phone);
}

describe('the guard post reads passes without their credentials', () => {
  const reads = (device: boolean) => [
    '/passes?limit=100',
    `/passes?q=Rina`,
    '/passes?active=true',
    `/passes/${guestId}`,
    '/gate/expected',
    '/gate/inside',
    '/gate/overstays',
    '/access-log?format=json',
    '/gates',
    '/gate/guards',
    '/gate/units',
    ...(device ? ['/gate/shifts/current'] : []),
  ];

  for (const who of ['kiosk device token', 'guard role'] as const) {
    it(`${who}: every pass and gate read answers without QR payload, code or phone`, async () => {
      const client = who === 'guard role' ? guard : w.kiosk;
      for (const path of reads(who !== 'guard role')) {
        const res = await client.get(`${w.base}${path}`);
        expect(res.status, `${path} ${res.text}`).toBe(200);
        assertNoCredentials(path, res.text);
      }
      // What the kiosk shows of an expected guest is still there.
      const list = await client.get(`${w.base}/passes?q=Rina`);
      expect(list.body.items[0]).toMatchObject({
        name: 'Rina Wijaya',
        plate: 'B 1234 XYZ',
        unit_code: 'A-12',
        status: 'active',
        purpose: 'Arisan',
      });
      const inside = await client.get(`${w.base}/gate/inside`);
      expect(inside.body.items.map((v: { name: string }) => v.name)).toEqual(expect.arrayContaining(['Rina Wijaya', 'Tamu Tanpa Kartu']));
      // The QR image is the credential drawn as a picture.
      const png = await client.get(`${w.base}/passes/${guestId}/qr.png`);
      expect(png.status).toBe(403);
    });
  }

  it('kiosk: scan, walk-in and checkout answers carry no credentials either', async () => {
    const pass = await w.admin.post(`${w.base}/passes`, {
      kind: 'guest',
      unit_id: w.unitId,
      name: 'Sari',
      phone: '0812-7777-8888',
      valid_until: hoursFromNow(3),
    });
    phones.push('77778888');
    secrets.push(pass.body.qr_payload, pass.body.code);
    const scan = await w.kiosk.post(`${w.base}/gate/scan`, { payload: pass.body.qr_payload });
    expect(scan.body.verdict).toBe('accepted');
    assertNoCredentials('scan', JSON.stringify({ ...scan.body, payload: undefined }));
    const walkIn = await w.kiosk.post(`${w.base}/gate/walk-ins`, { name: 'Ojek', phone: '0819-9999-0000', unit_id: w.unitId });
    const out = await w.kiosk.post(`${w.base}/gate/visits/${scan.body.visit_id}/checkout`, {});
    expect(out.status, out.text).toBe(200);
    assertNoCredentials('checkout', out.text);
    expect(walkIn.body.visit).not.toHaveProperty('phone');
  });

  it('the office and the pass holder still get the payload, code and phone', async () => {
    const office = await w.admin.get(`${w.base}/passes/${guestId}`);
    expect(office.body.qr_payload).toMatch(/^KL1\./);
    expect(office.body.code).toBeTruthy();
    expect(office.body.phone).toBeTruthy();
    expect((await w.admin.get(`${w.base}/passes/${guestId}/qr.png`)).status).toBe(200);
    const treasurer = (await userWithRole(w.server.url, w.admin, w.estateId, 'treasurer')).client;
    expect((await treasurer.get(`${w.base}/passes?q=Rina`)).body.items[0].qr_payload).toMatch(/^KL1\./);
    const mine = await resident.client.get(`${w.base}/portal/passes`);
    expect(mine.body.resident[0].qr_payload).toMatch(/^KL1\./);
    expect(mine.body.guests.some((g: { phone: string | null }) => g.phone)).toBe(true);
    expect((await resident.client.get(`${w.base}/passes/${guestId}/qr.png`)).status).toBe(200);
    const inside = await w.admin.get(`${w.base}/gate/inside`);
    expect(inside.body.items.some((v: { phone?: string | null }) => v.phone)).toBe(true);
  });

  it('documents the credential fields as office- and holder-only in OpenAPI', async () => {
    const doc = await w.admin.get('/openapi.json');
    const schema = doc.body.paths['/api/v1/estates/{estate_id}/passes/{id}'].get.responses['200'].content['application/json'].schema;
    const text = JSON.stringify(schema);
    expect(text).toContain('qr_payload');
    expect(text).toMatch(/never for the guard post/);
  });
});
