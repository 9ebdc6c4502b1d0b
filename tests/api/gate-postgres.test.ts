// The guard post on the hosted-instance database (`pgUrl` from the global setup): there, two gates really do scan on
// two connections at once, so single use rests on the conditional update alone.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { startTestServer } from '../support/server.ts';
import { gatePostWorld, GUARD_PIN, hoursFromNow, pairedKioskOnShift, residentOf, type GatePostWorld } from './gate-post-fixture.ts';

let pgdb: TestDatabase;
let w: GatePostWorld;

beforeAll(async () => {
  pgdb = await createTestDatabase(inject('pgUrl'));
  w = await gatePostWorld(undefined, await startTestServer({ databaseUrl: pgdb.url }));
});
afterAll(async () => {
  await w?.server.close();
  await pgdb?.drop();
});

describe('guard post on PostgreSQL', () => {
  it('accepts a single-use pass exactly once when two gates scan it at the same moment', async () => {
    const gate2 = await w.admin.post(`${w.base}/gates`, { name: 'Gerbang Belakang' });
    const guard2 = await w.admin.post(`${w.base}/gate/guards`, { name: 'Pak Slamet', pin: GUARD_PIN });
    const { kiosk: kiosk2 } = await pairedKioskOnShift(w.server.url, w.admin, w.estateId, gate2.body.id, guard2.body.id, 'Kios 2');
    for (let round = 0; round < 10; round++) {
      const pass = await w.admin.post(`${w.base}/passes`, { kind: 'guest', unit_id: w.unitId, name: `Tamu ${round}` });
      const results = await Promise.all(
        [w.kiosk, kiosk2, w.kiosk, kiosk2].map((k) => k.post(`${w.base}/gate/scan`, { payload: pass.body.qr_payload })),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(results.filter((r) => r.body.verdict === 'accepted')).toHaveLength(1);
      expect(results.filter((r) => ['used_up', 'already_inside'].includes(r.body.reason))).toHaveLength(3);
      expect((await w.admin.get(`${w.base}/passes/${pass.body.id}`)).body.uses).toBe(1);
    }
  });

  it('says already_inside with the open visit for a guest scanned in again, and used_up once they left', async () => {
    const pass = await w.admin.post(`${w.base}/passes`, { kind: 'guest', unit_id: w.unitId, name: 'Tamu Dalam' });
    const first = await w.kiosk.post(`${w.base}/gate/scan`, { payload: pass.body.qr_payload, direction: 'in' });
    expect(first.body.verdict).toBe('accepted');
    const again = await w.kiosk.post(`${w.base}/gate/scan`, { payload: pass.body.qr_payload, direction: 'in' });
    expect(again.body).toMatchObject({ verdict: 'rejected', reason: 'already_inside', visit_id: first.body.visit_id });
    const out = await w.kiosk.post(`${w.base}/gate/visits/${again.body.visit_id}/checkout`, {});
    expect(out.status, out.text).toBe(200);
    const later = await w.kiosk.post(`${w.base}/gate/scan`, { payload: pass.body.qr_payload, direction: 'in' });
    expect(later.body).toMatchObject({ verdict: 'rejected', reason: 'used_up', visit_id: null });
  });

  it('says expired, revoked, forged and unknown_code, and lets a numeric code in', async () => {
    const expired = await w.admin.post(`${w.base}/passes`, {
      kind: 'guest',
      unit_id: w.unitId,
      name: 'Lama',
      valid_from: hoursFromNow(-5),
      valid_until: hoursFromNow(-1),
    });
    expect((await w.kiosk.post(`${w.base}/gate/scan`, { payload: expired.body.qr_payload })).body.reason).toBe('expired');
    const pass = await w.admin.post(`${w.base}/passes`, {
      kind: 'temporary',
      unit_id: w.unitId,
      name: 'Kurir',
      valid_until: hoursFromNow(2),
    });
    expect((await w.kiosk.post(`${w.base}/gate/scan`, { code: pass.body.code })).body.verdict).toBe('accepted');
    const forged = pass.body.qr_payload.slice(0, -2) + (pass.body.qr_payload.endsWith('A') ? 'BB' : 'AA');
    expect((await w.kiosk.post(`${w.base}/gate/scan`, { payload: forged })).body.reason).toBe('forged');
    await w.admin.post(`${w.base}/passes/${pass.body.id}/revoke`);
    expect((await w.kiosk.post(`${w.base}/gate/scan`, { payload: pass.body.qr_payload })).body.reason).toBe('revoked');
    expect((await w.kiosk.post(`${w.base}/gate/scan`, { code: '10000001' })).body.reason).toBe('unknown_code');
  });

  it('runs the portal, walk-ins, search, inside list and exports', async () => {
    const host = await residentOf(w);
    const own = await host.client.get(`${w.base}/portal/passes`);
    expect(own.body.resident[0]).toMatchObject({ kind: 'resident', status: 'active' });
    const guest = await host.client.post(`${w.base}/portal/passes`, { name: 'Rina Wijaya', plate: 'b 1 rw' });
    expect(guest.status).toBe(201);
    expect((await w.admin.get(`${w.base}/passes?q=rina`)).body.items.map((p: { id: string }) => p.id)).toContain(guest.body.id);
    expect((await w.admin.get(`${w.base}/passes?q=b 1`)).body.items.map((p: { id: string }) => p.id)).toContain(guest.body.id);
    const walkIn = await w.kiosk.post(`${w.base}/gate/walk-ins`, { name: 'Agus', unit_id: w.unitId, id_card_left: true });
    expect(walkIn.body.visit).toMatchObject({ id_card_left: true });
    expect((await host.client.get(`${w.base}/portal/gate-notifications`)).body.items[0]).toMatchObject({
      kind: 'walk_in',
      guest_name: 'Agus',
    });
    expect((await w.kiosk.get(`${w.base}/gate/inside`)).body.items.map((v: { id: string }) => v.id)).toContain(walkIn.body.visit.id);
    expect((await w.kiosk.get(`${w.base}/gate/units?q=a-1`)).body.items.map((u: { code: string }) => u.code)).toEqual(['A-12']);
    const moved = await w.admin.patch(`${w.base}/residents/${host.residentId}`, {
      moved_out_on: (await w.admin.get(`${w.base}/calendar`)).body.today,
    });
    expect(moved.status).toBe(200);
    expect((await w.kiosk.post(`${w.base}/gate/scan`, { payload: own.body.resident[0].qr_payload })).body.reason).toBe('revoked');
    const xlsx = await fetch(`${w.server.url}/api/v1${w.base}/access-log?format=xlsx`, { headers: { cookie: w.admin.cookie! } });
    expect(xlsx.status).toBe(200);
    const log = await w.admin.get(`${w.base}/access-log?verdict=accepted&from=${(await w.admin.get(`${w.base}/calendar`)).body.today}`);
    expect(log.body.total).toBeGreaterThan(0);
  });
});
