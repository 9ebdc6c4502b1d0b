// The gate's walk-in notice in the portal bell: raised with the visit, read from either place, the other follows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatePostWorld, residentOf, type GatePostWorld } from './gate-post-fixture.ts';

let w: GatePostWorld;
beforeAll(async () => {
  w = await gatePostWorld();
});
afterAll(async () => {
  await w?.server.close();
});

const walkIn = (name: string) =>
  w.kiosk.post(`${w.base}/gate/walk-ins`, { unit_id: w.unitId, name, purpose: 'Antar paket', people: 1, id_card_left: false });

describe('gate arrivals in the portal bell', () => {
  it('puts a walk-in in the host unit bell; marking it read there marks the gate notice too', async () => {
    const host = await residentOf(w);
    const res = await walkIn('Agus Kurir');
    expect(res.status, res.text).toBe(201);
    const bell = await host.client.get(`${w.base}/portal/notifications`);
    const notice = bell.body.items.find((n: { title: string }) => n.title === 'Agus Kurir');
    expect(notice).toMatchObject({ kind: 'walk_in', body: 'Antar paket', link: '/portal/guests', read_at: null });
    expect(bell.body.unread).toBe(1);

    expect((await host.client.post(`${w.base}/portal/notifications/${notice.id}/read`)).body.marked).toBe(1);
    const gate = await host.client.get(`${w.base}/portal/gate-notifications`);
    expect(gate.body.items.find((n: { visit_id: string }) => n.visit_id === res.body.visit.id).read_at).not.toBeNull();
    expect(gate.body.unread).toBe(0);

    // The other way: the guests page marks the gate notice, and the bell follows.
    await walkIn('Sinta');
    const second = (await host.client.get(`${w.base}/portal/gate-notifications`)).body.items.find(
      (n: { guest_name: string }) => n.guest_name === 'Sinta',
    );
    expect((await host.client.get(`${w.base}/portal/notifications`)).body.unread).toBe(1);
    await host.client.post(`${w.base}/portal/gate-notifications/${second.id}/read`);
    expect((await host.client.get(`${w.base}/portal/notifications`)).body.unread).toBe(0);
  });
});
