import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { openLiveStream, type LiveEvent, type LiveStream } from '../support/live-stream.ts';
import { startTestServer, type ApiClient, type TestServer } from '../support/server.ts';
import { addUnit, gatePostWorld, residentOf, type GatePostWorld } from './gate-post-fixture.ts';

/**
 * Live updates (`GET /estates/:id/live`) on the embedded SQLite database and on PostgreSQL (`pgUrl` from the global
 * setup, where every change goes through NOTIFY and this process's LISTEN connection): who hears what, and nothing
 * of another estate or of a write that rolled back.
 */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');
const isChange = (topic: string, unitId?: string) => (e: LiveEvent) =>
  e.event === 'change' && e.data.topic === topic && (unitId === undefined || e.data.unit_id === unitId);

describe.each(['sqlite', 'postgres'] as const)('live updates on %s', (backend) => {
  let pgdb: TestDatabase | undefined;
  let server: TestServer;
  let w: GatePostWorld;
  let unitB: string;
  let residentA: ApiClient;
  let residentB: ApiClient;
  const streams: LiveStream[] = [];
  const open = async (client: ApiClient, estateId = w.estateId) => {
    const stream = await openLiveStream(client, estateId);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    if (backend === 'postgres') pgdb = await createTestDatabase(inject('pgUrl'));
    server = await startTestServer(pgdb ? { databaseUrl: pgdb.url } : {});
    w = await gatePostWorld(undefined, server);
    unitB = await addUnit(w.admin, w.estateId, 'B-7');
    residentA = (await residentOf(w)).client;
    residentB = (await residentOf(w, unitB, 'Sari Dewi')).client;
  }, 60_000);
  afterAll(async () => {
    for (const s of streams) s.close();
    await server?.close();
    await pgdb?.drop();
  });

  it('the guard post hears a guest pass a resident registers; residents hear their own unit only; nobody hears a rolled-back write', async () => {
    const kiosk = await open(w.kiosk);
    const office = await open(w.admin);
    const ofA = await open(residentA);
    const ofB = await open(residentB);
    expect([kiosk.status, office.status, ofA.status, ofB.status]).toEqual([200, 200, 200, 200]);

    expect((await residentA.post(`${w.base}/portal/passes`, { name: 'Tamu Arisan' })).status).toBe(201);
    await kiosk.next(isChange('passes', w.unitId));
    await office.next(isChange('passes', w.unitId));
    await ofA.next(isChange('passes', w.unitId));

    // A payment refused after the unit was locked (and its change announced) rolls back: nobody hears it.
    const refused = await w.admin.post(`${w.base}/payments`, {
      unit_id: w.unitId,
      amount: 50_000,
      method: 'cash',
      paid_at: '2026-11-05',
      payer_resident_id: '01900000-0000-7000-8000-000000000000',
    });
    expect(refused.body.error?.code).toBe('UNKNOWN_RESIDENT');
    const paid = await w.admin.post(`${w.base}/payments`, { unit_id: w.unitId, amount: 75_000, method: 'cash', paid_at: '2026-11-05' });
    expect(paid.status, paid.text).toBe(201);
    await ofA.next(isChange('ledger', w.unitId));
    await office.next(isChange('ledger', w.unitId));
    // Events arrive in commit order: once the payment's is here, anything announced before it would be too.
    expect(ofA.events.filter(isChange('ledger'))).toHaveLength(1);
    expect(office.events.filter(isChange('ledger'))).toHaveLength(1);

    // Unit B's resident uploads a transfer proof: they hear it, the office hears it, unit A's resident does not.
    const proof = await residentB.upload(
      `${w.base}/portal/transfer-proofs`,
      { amount: '100000', paid_at: '2026-11-06', reference: 'BCA 1' },
      { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } },
    );
    expect(proof.status, proof.text).toBe(201);
    await ofB.next(isChange('proofs', unitB));
    await office.next(isChange('proofs', unitB));
    // The kiosk hears of passes and visits only; resident A of nothing of unit B, resident B of nothing of unit A.
    expect(kiosk.events.every((e) => e.data.topic === 'passes' || e.data.topic === 'visits')).toBe(true);
    expect(kiosk.events.filter(isChange('passes'))).toHaveLength(1);
    expect(ofA.events.every((e) => e.data.unit_id === w.unitId)).toBe(true);
    expect(ofB.events.every((e) => e.data.unit_id === unitB)).toBe(true);
    expect(ofB.events.length).toBeGreaterThan(0);
  });

  it("a screen never hears another estate's changes", async () => {
    const other = await w.admin.post('/estates', { name: 'Perumahan Lain' });
    expect(other.status, other.text).toBe(201);
    const otherEstate = other.body.id as string;
    const otherUnit = await addUnit(w.admin, otherEstate, 'L-1');
    const here = await open(w.admin);
    const there = await open(w.admin, otherEstate);
    const kiosk = await open(w.kiosk);
    expect((await w.admin.post(`/estates/${otherEstate}/passes`, { kind: 'guest', unit_id: otherUnit, name: 'Tamu Lain' })).status).toBe(
      201,
    );
    await there.next(isChange('passes', otherUnit));
    // Then a change here: when it has arrived, the other estate's (committed earlier) would have arrived before it.
    expect((await w.admin.post(`${w.base}/passes`, { kind: 'guest', unit_id: w.unitId, name: 'Tamu Sini' })).status).toBe(201);
    await here.next(isChange('passes', w.unitId));
    await kiosk.next(isChange('passes', w.unitId));
    expect(here.events.map((e) => e.data.unit_id)).toEqual([w.unitId]);
    expect(kiosk.events.map((e) => e.data.unit_id)).toEqual([w.unitId]);
    // The kiosk's credential is for its own estate: the other estate's stream is not found.
    expect((await openLiveStream(w.kiosk, otherEstate)).status).toBe(404);
  });

  it('answers 401 without valid credentials', async () => {
    expect((await openLiveStream(w.kiosk.withBearer('tidak-sah'), w.estateId)).status).toBe(401);
  });

  // PostgreSQL only: SQLite has no listener connection to lose.
  if (backend === 'postgres')
    it('keeps listening after its LISTEN connection drops, and tells screens to re-read', async () => {
      const stream = await open(residentA);
      const pid = server.app.live!.listenerPid;
      expect(pid).toBeGreaterThan(0);
      await server.db.knex.raw('select pg_terminate_backend(?)', [pid]);
      await stream.next((e) => e.event === 'resync', 10_000);
      expect(server.app.live!.listenerPid).not.toBe(pid);
      expect((await residentA.post(`${w.base}/portal/passes`, { name: 'Tamu Sesudah' })).status).toBe(201);
      await stream.next(isChange('passes', w.unitId));
    });
});
