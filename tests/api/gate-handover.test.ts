// The guard post's shift change and walk-in notice: ending a shift answers the handover (entries, walk-ins, denials,
// who is still inside) and the next guard on the same kiosk reads it; a walk-in says the host was told only when a
// resident of the host unit has a portal account to read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../server/auth/permissions.ts';
import { apiClient, setupEstate, userWithRole } from '../support/server.ts';
import { addUnit, gatePostWorld, GUARD_PIN, pairedKioskOnShift, residentOf, type GatePostWorld } from './gate-post-fixture.ts';

let w: GatePostWorld;

beforeAll(async () => {
  w = await gatePostWorld();
});
afterAll(async () => {
  await w?.server.close();
});

describe('walk-in notice to the host unit', () => {
  it('says the host was notified only when a resident living there reads the portal', async () => {
    const empty = await addUnit(w.admin, w.estateId, 'B-07');
    // A resident without an account: the notice is stored but nobody reads it.
    await w.admin.post(`${w.base}/residents`, { name: 'Pak Tanpa Akun', unit_id: empty, relation: 'owner' });
    const unread = await w.kiosk.post(`${w.base}/gate/walk-ins`, { name: 'Kurir Satu', unit_id: empty });
    expect(unread.status, unread.text).toBe(201);
    expect(unread.body.host_notified).toBe(false);

    const host = await residentOf(w, empty, 'Bu Sinta');
    const told = await w.kiosk.post(`${w.base}/gate/walk-ins`, { name: 'Kurir Dua', unit_id: empty, purpose: 'Antar galon' });
    expect(told.body.host_notified).toBe(true);
    // The notice is there the moment the walk-in answers, in the portal of that unit only.
    const notes = await host.client.get(`${w.base}/portal/gate-notifications`);
    expect(notes.body.items[0]).toMatchObject({ kind: 'walk_in', guest_name: 'Kurir Dua', purpose: 'Antar galon', read_at: null });
    const row = await w.server.db.knex('gate_notifications').where({ visit_id: told.body.visit.id }).first();
    expect(await w.server.db.knex('audit_log').where({ entity_id: row.id }).first()).toBeTruthy();
    expect(await w.server.db.knex('outbox').where({ row_id: row.id }).first()).toBeTruthy();
  });
});

describe('shift handover', () => {
  it('ends the shift with its counts and who is inside, and shows the next guard the same handover', async () => {
    const gate = await w.admin.post(`${w.base}/gates`, { name: 'Gerbang Belakang' });
    const guard = await w.admin.post(`${w.base}/gate/guards`, { name: 'Pak Slamet', pin: GUARD_PIN });
    const { kiosk } = await pairedKioskOnShift(w.server.url, w.admin, w.estateId, gate.body.id, guard.body.id, 'Tablet belakang');
    expect((await kiosk.get(`${w.base}/gate/shifts/last-handover`)).body).toEqual({ handover: null });

    const stays = await kiosk.post(`${w.base}/gate/walk-ins`, { name: 'Tamu Menginap', unit_id: w.unitId });
    const leaves = await kiosk.post(`${w.base}/gate/walk-ins`, { name: 'Tamu Sebentar', unit_id: w.unitId });
    await kiosk.post(`${w.base}/gate/visits/${leaves.body.visit.id}/checkout`, {});
    const denied = await kiosk.post(`${w.base}/gate/scan`, { code: '99999999' });
    expect(denied.body.verdict).toBe('rejected');
    // Another kiosk's work is not this guard's shift.
    await w.kiosk.post(`${w.base}/gate/walk-ins`, { name: 'Tamu Gerbang Utama', unit_id: w.unitId });

    const ended = await kiosk.post(`${w.base}/gate/shifts/current/end`);
    expect(ended.status, ended.text).toBe(200);
    expect(ended.body.shift).toBeNull();
    const handover = ended.body.handover;
    expect(handover).toMatchObject({
      shift: { gate: { name: 'Gerbang Belakang' }, guard: { name: 'Pak Slamet' } },
      entries: 2,
      exits: 1,
      walk_ins: 2,
      denials: 1,
    });
    expect(handover.shift.ended_at >= handover.shift.started_at).toBe(true);
    const insideNames = handover.inside.map((v: { name: string }) => v.name);
    expect(insideNames).toContain('Tamu Menginap');
    expect(insideNames).toContain('Tamu Gerbang Utama');
    expect(insideNames).not.toContain('Tamu Sebentar');
    // A guard post never sees a guest's phone.
    expect(handover.inside.every((v: Record<string, unknown>) => !('phone' in v))).toBe(true);
    expect(stays.body.visit.id).toBe(handover.inside.find((v: { name: string }) => v.name === 'Tamu Menginap').id);

    const next = await kiosk.get(`${w.base}/gate/shifts/last-handover`);
    expect(next.body.handover).toMatchObject({ shift: { id: handover.shift.id }, entries: 2, walk_ins: 2, denials: 1 });

    // Ending again (a double tap, a retried request) ends nothing and writes nothing.
    const shiftsBefore = await w.server.db.knex('gate_shifts').count({ n: '*' });
    const auditBefore = await w.server.db.knex('audit_log').count({ n: '*' });
    const again = await kiosk.post(`${w.base}/gate/shifts/current/end`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ shift: null, handover: null });
    expect(await w.server.db.knex('gate_shifts').count({ n: '*' })).toEqual(shiftsBefore);
    expect(await w.server.db.knex('audit_log').count({ n: '*' })).toEqual(auditBefore);
    expect((await kiosk.get(`${w.base}/gate/shifts/last-handover`)).body.handover.shift.id).toBe(handover.shift.id);
  });

  it('is for kiosks only: people get 401, other roles 403, another estate 404', async () => {
    for (const role of ROLES.filter((r) => r !== 'platform_admin')) {
      const { client } = await userWithRole(w.server.url, w.admin, w.estateId, role);
      const res = await client.get(`${w.base}/gate/shifts/last-handover`);
      // gate.scan holders are people, not devices: the handover belongs to a kiosk.
      expect([401, 403], `${role}: ${res.status}`).toContain(res.status);
    }
    // The platform administrator is the estate's own first account here.
    expect([401, 403]).toContain((await w.admin.get(`${w.base}/gate/shifts/last-handover`)).status);
    expect((await apiClient(w.server.url).get(`${w.base}/gate/shifts/last-handover`)).status).toBe(401);
    const other = await setupEstate(w.server.url, 'Perumahan Lain').catch(() => null);
    const otherId = other?.estateId ?? '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    expect((await w.kiosk.get(`/estates/${otherId}/gate/shifts/last-handover`)).status).toBe(404);
    expect((await w.kiosk.post(`/estates/${otherId}/gate/shifts/current/end`)).status).toBe(404);
  });
});
