// Passes: office and portal creation, QR image, WhatsApp link, resident passes renewed while living here and revoked
// on move-out, who may see and revoke what.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renewResidentPasses } from '../../server/passes/renewal-job.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { userWithRole } from '../support/server.ts';
import { addUnit, gatePostWorld, hoursFromNow, residentOf, type GatePostWorld } from './gate-post-fixture.ts';

let w: GatePostWorld;
let resident: Awaited<ReturnType<typeof residentOf>>;

beforeAll(async () => {
  w = await gatePostWorld();
  resident = await residentOf(w);
});
afterAll(async () => {
  await w?.server.close();
});

function decodeQrPng(bytes: Buffer): string | null {
  const png = PNG.sync.read(bytes);
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

describe('guest passes from the portal', () => {
  it('creates a guest pass for the own unit with code, signed payload, QR image and a filled wa.me link', async () => {
    const res = await resident.client.post(`${w.base}/portal/passes`, {
      name: 'Rina Wijaya',
      phone: '0813-1111-2222',
      people: 3,
      plate: 'b 1234 xyz',
      purpose: 'Makan malam',
      valid_from: hoursFromNow(-0.5),
      valid_until: hoursFromNow(6),
      max_uses: 2,
      unit_id: w.unitId,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'guest',
      unit_id: w.unitId,
      unit_code: 'A-12',
      plate: 'B 1234 XYZ',
      people: 3,
      max_uses: 2,
      uses: 0,
      status: 'active',
      created_via: 'portal',
    });
    expect(res.body.code).toMatch(/^[1-9][0-9]{7}$/);
    expect(res.body.qr_payload).toMatch(/^KL1\.[A-Za-z0-9_-]+$/);
    const link = new URL(res.body.whatsapp_url);
    expect(link.host).toBe('wa.me');
    expect(link.pathname).toBe('/6281311112222');
    const text = link.searchParams.get('text')!;
    expect(text).toContain('Rina Wijaya');
    expect(text).toContain(res.body.code);
    expect(text).toContain('A-12');

    const image = await resident.client.get(res.body.qr_image_url.replace('/api/v1', ''));
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(
      await (await fetch(`${w.server.url}${res.body.qr_image_url}`, { headers: { cookie: resident.client.cookie! } })).arrayBuffer(),
    );
    expect(decodeQrPng(png)).toBe(res.body.qr_payload);

    const list = await resident.client.get(`${w.base}/portal/passes`);
    expect(list.body.guests.map((p: { id: string }) => p.id)).toContain(res.body.id);
  });

  it('creates a 6-digit temporary access code with limited uses', async () => {
    const res = await resident.client.post(`${w.base}/portal/passes`, {
      kind: 'temporary',
      name: 'Tukang AC',
      purpose: 'Servis AC',
      valid_until: hoursFromNow(8),
      max_uses: 2,
    });
    expect(res.status).toBe(201);
    expect(res.body.code).toMatch(/^[1-9][0-9]{5}$/);
    for (const expected of ['accepted', 'accepted', 'rejected']) {
      expect((await w.kiosk.post(`${w.base}/gate/scan`, { code: res.body.code })).body.verdict).toBe(expected);
    }
  });

  it('refuses bad windows and bad fields with 400 and writes nothing', async () => {
    const before = (await w.admin.get(`${w.base}/passes?limit=1`)).body.total;
    const cases = [
      { name: 'X', valid_from: hoursFromNow(2), valid_until: hoursFromNow(1) },
      { name: 'X', valid_until: hoursFromNow(24 * 400) },
      { name: '', valid_until: hoursFromNow(1) },
      { name: 'X', phone: 'not a phone' },
      { name: 'X', max_uses: 0 },
      { name: 'X', kind: 'resident' },
      { name: 'X', valid_from: 'tomorrow' },
      { name: 'X', plate: 'B-12;DROP' },
    ];
    for (const body of cases) {
      const res = await resident.client.post(`${w.base}/portal/passes`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBeTruthy();
    }
    expect((await w.admin.get(`${w.base}/passes?limit=1`)).body.total).toBe(before);
  });

  it("lets a resident cancel their unit's pass but not another unit's, and not see another unit's QR", async () => {
    const otherUnit = await addUnit(w.admin, w.estateId, 'C-03');
    const foreign = await w.admin.post(`${w.base}/passes`, { kind: 'guest', unit_id: otherUnit, name: 'Tamu C-03' });
    expect((await resident.client.post(`${w.base}/portal/passes/${foreign.body.id}/revoke`)).status).toBe(404);
    expect((await resident.client.get(`${w.base}/passes/${foreign.body.id}/qr.png`)).status).toBe(404);
    expect((await resident.client.get(`${w.base}/passes`)).status).toBe(403);
    expect((await resident.client.post(`${w.base}/passes`, { kind: 'guest', unit_id: otherUnit, name: 'X' })).status).toBe(403);

    const own = await resident.client.post(`${w.base}/portal/passes`, { name: 'Tamu sendiri' });
    const revoked = await resident.client.post(`${w.base}/portal/passes/${own.body.id}/revoke`);
    expect(revoked.body.status).toBe('revoked');
    expect((await w.kiosk.post(`${w.base}/gate/scan`, { payload: own.body.qr_payload })).body.reason).toBe('revoked');
  });

  it("answers 404 for another estate's pass ids", async () => {
    const other = await gatePostWorld('Perumahan Sebelah');
    try {
      const foreign = await other.admin.post(`${other.base}/passes`, { kind: 'guest', unit_id: other.unitId, name: 'Tamu' });
      expect((await w.admin.get(`${w.base}/passes/${foreign.body.id}`)).status).toBe(404);
      expect((await w.admin.post(`${w.base}/passes/${foreign.body.id}/revoke`)).status).toBe(404);
      expect((await w.admin.get(`${w.base}/passes/${foreign.body.id}/qr.png`)).status).toBe(404);
      expect((await w.admin.post(`${w.base}/passes`, { kind: 'guest', unit_id: other.unitId, name: 'X' })).body.error.code).toBe(
        'UNIT_NOT_FOUND',
      );
    } finally {
      await other.server.close();
    }
  });
});

describe('resident and vehicle passes', () => {
  it('gives the resident a 30-day pass on first portal visit, and vehicle passes by plate, accepted at every entry', async () => {
    const res = await resident.client.get(`${w.base}/portal/passes`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.resident).toHaveLength(1);
    const own = res.body.resident[0];
    expect(own).toMatchObject({ kind: 'resident', name: 'Budi Santoso', max_uses: null, status: 'active', whatsapp_url: null });
    const days = (Date.parse(own.valid_until) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    // Opening the portal again does not mint another pass.
    expect((await resident.client.get(`${w.base}/portal/passes`)).body.resident.map((p: { id: string }) => p.id)).toEqual([own.id]);

    const car = await resident.client.post(`${w.base}/portal/passes/vehicle`, { plate: 'b 9876 kla' });
    expect(car.status).toBe(201);
    expect(car.body).toMatchObject({ kind: 'resident', plate: 'B 9876 KLA' });
    for (let i = 0; i < 3; i++) {
      expect((await w.kiosk.post(`${w.base}/gate/scan`, { payload: own.qr_payload })).body).toMatchObject({
        verdict: 'accepted',
        pass: { name: 'Budi Santoso', unit_code: 'A-12' },
      });
    }
    const scanCar = await w.kiosk.post(`${w.base}/gate/scan`, { payload: car.body.qr_payload });
    expect(scanCar.body).toMatchObject({ verdict: 'accepted', pass: { plate: 'B 9876 KLA' } });
    // Residents are not guests: nobody is listed as inside for them.
    expect((await w.kiosk.get(`${w.base}/gate/inside`)).body.items.some((v: { pass_id: string }) => v.pass_id === own.id)).toBe(false);
  });

  it('renews a resident pass that runs low while the resident lives here (background job)', async () => {
    const list = await resident.client.get(`${w.base}/portal/passes`);
    const own = list.body.resident[0];
    // Ten days later, the job slides the window to 30 days from then.
    const later = new Date(Date.now() + 10 * 86_400_000);
    const store = new ScopedStore(w.server.db.knex, w.estateId, SYSTEM_ACTOR, w.server.app.sync);
    const result = await renewResidentPasses(store, await store.timezone(), later);
    expect(result.renewed).toBeGreaterThanOrEqual(1);
    const after = await w.admin.get(`${w.base}/passes/${own.id}`);
    expect(Date.parse(after.body.valid_until) - later.getTime()).toBeGreaterThan(29.9 * 86_400_000);
  });

  it('revokes resident passes when the resident moves out, at the gate and in the job', async () => {
    const mover = await residentOf(w, w.unitId, 'Dewi Lestari');
    const passes = (await mover.client.get(`${w.base}/portal/passes`)).body.resident;
    const car = (await mover.client.post(`${w.base}/portal/passes/vehicle`, { plate: 'D 1 ABC' })).body;
    const moved = await w.admin.patch(`${w.base}/residents/${mover.residentId}`, {
      moved_out_on: (await w.admin.get(`${w.base}/calendar`)).body.today,
    });
    expect(moved.status, moved.text).toBe(200);
    const atGate = await w.kiosk.post(`${w.base}/gate/scan`, { payload: passes[0].qr_payload });
    expect(atGate.body).toMatchObject({ verdict: 'rejected', reason: 'revoked' });
    const store = new ScopedStore(w.server.db.knex, w.estateId, SYSTEM_ACTOR, w.server.app.sync);
    const result = await renewResidentPasses(store, await store.timezone(), new Date());
    expect(result.revoked).toBeGreaterThanOrEqual(1);
    const carAfter = await w.admin.get(`${w.base}/passes/${car.id}`);
    expect(carAfter.body).toMatchObject({ status: 'revoked', revoked_reason: 'moved_out' });
    expect((await mover.client.get(`${w.base}/portal/passes`)).status).toBe(404);
  });

  it('lets the office issue a resident pass only to someone living in that unit', async () => {
    const elsewhere = await addUnit(w.admin, w.estateId, 'D-09');
    const wrong = await w.admin.post(`${w.base}/passes`, {
      kind: 'resident',
      unit_id: elsewhere,
      resident_id: resident.residentId,
      name: 'Budi',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('NOT_A_RESIDENT');
    const right = await w.admin.post(`${w.base}/passes`, {
      kind: 'resident',
      unit_id: w.unitId,
      resident_id: resident.residentId,
      name: 'Budi',
      plate: 'B 5 BUD',
    });
    expect(right.status).toBe(201);
    expect(right.body.max_uses).toBeNull();
  });

  it('lets guards read passes but not write them, and the treasurer create them', async () => {
    const guard = await userWithRole(w.server.url, w.admin, w.estateId, 'guard');
    expect((await guard.client.get(`${w.base}/passes?limit=5`)).status).toBe(200);
    expect((await guard.client.post(`${w.base}/passes`, { kind: 'guest', unit_id: w.unitId, name: 'X' })).status).toBe(403);
    const treasurer = await userWithRole(w.server.url, w.admin, w.estateId, 'treasurer');
    const pass = await treasurer.client.post(`${w.base}/passes`, { kind: 'guest', unit_id: w.unitId, name: 'Tamu kantor' });
    expect(pass.status).toBe(201);
    expect(pass.body.created_via).toBe('office');
  });
});
