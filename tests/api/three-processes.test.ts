import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { spawnServer, type ServerProcess } from '../../bench/lib/server-process.ts';
import { defineJob } from '../../server/jobs/define-job.ts';
import { enqueueJob } from '../../server/jobs/job-queue.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { openLiveStream, type LiveEvent } from '../support/live-stream.ts';
import { ApiClient, apiClient, setupEstate, type ApiResponse } from '../support/server.ts';
import { GUARD_PIN } from './gate-post-fixture.ts';

/**
 * Three real `klustera serve` processes on one PostgreSQL (`pgUrl` from the global setup) behind a client that sends
 * each request to the next process in turn, as a round-robin load balancer does: what must happen once happens once,
 * a limit counts across all three, and a screen connected to one process hears of a change made through another.
 */
let pgdb: TestDatabase;
let knex: Knex;
const dataDirs: string[] = [];
const procs: ServerProcess[] = [];
let estateId: string;
let base: string;
let office: RoundRobin;
let kiosk: RoundRobin;
let unitId: string;
let resident: RoundRobin;

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');

/** One browser (cookie, CSRF token, bearer) whose requests go to A, B, C, A, … in turn. */
class RoundRobin extends ApiClient {
  private turn = 0;
  constructor(private readonly urls: string[]) {
    super(urls[0]);
  }
  override request<T = any>(method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>> {
    const url = this.urls[this.turn++ % this.urls.length];
    return super.request<T>(method, p.startsWith('http') ? p : `${url}/api/v1${p}`, body, headers);
  }
  /** The same credentials, pinned to one process. */
  on(index: number): ApiClient {
    const one = apiClient(this.urls[index]);
    one.cookie = this.cookie;
    one.csrf = this.csrf;
    one.bearer = this.bearer;
    return one;
  }
  override withBearer(token: string): RoundRobin {
    const c = new RoundRobin(this.urls);
    c.bearer = token;
    return c;
  }
}

async function serve(url: string): Promise<ServerProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klustera-three-'));
  dataDirs.push(dir);
  return spawnServer(dir, { DATABASE_URL: url, KLUSTERA_VALIDATE_RESPONSES: '1', KLUSTERA_PUBLIC_URL: '' });
}

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const urls = () => procs.map((p) => p.url);

async function ok<T = any>(res: Promise<ApiResponse<T>> | ApiResponse<T>, status = [200, 201]): Promise<T> {
  const r = await res;
  expect(status, `${r.status} ${r.text}`).toContain(r.status);
  return r.body;
}

beforeAll(async () => {
  pgdb = await createTestDatabase(inject('pgUrl'));
  knex = knexFactory({ client: 'pg', connection: pgdb.url, pool: { min: 0, max: 2 } });
  // One after the other: the first start migrates the empty database.
  for (let i = 0; i < 3; i++) procs.push(await serve(pgdb.url));
  const setup = await setupEstate(procs[0].url);
  estateId = setup.estateId;
  base = `/estates/${estateId}`;
  office = new RoundRobin(urls());
  office.cookie = setup.client.cookie;
  office.csrf = setup.client.csrf;
  unitId = (await ok(office.post(`${base}/units`, { code: 'A-12', type: 'rumah', occupancy: 'occupied' }))).id;
  const gate = await ok(office.post(`${base}/gates`, { name: 'Gerbang Utama' }));
  const guard = await ok(office.post(`${base}/gate/guards`, { name: 'Pak Joko', pin: GUARD_PIN }));
  const device = await ok(office.post(`${base}/devices`, { name: 'Kios', kind: 'kiosk' }));
  const paired = await ok(new RoundRobin(urls()).post(`${base}/devices/pair`, { pairing_code: device.pairing_code }, from('192.0.2.10')));
  kiosk = new RoundRobin(urls()).withBearer(paired.token);
  await ok(kiosk.post(`${base}/gate/shifts`, { gate_id: gate.id, guard_id: guard.id, pin: GUARD_PIN }));
  const record = await ok(
    office.post(`${base}/residents`, { name: 'Budi Santoso', unit_id: unitId, relation: 'owner', phone: '081234567890' }),
  );
  await ok(
    office.post(`${base}/users`, {
      name: 'Budi',
      email: 'budi@griya-asri.id',
      role: 'resident',
      password: 'rahasia-budi-1',
      resident_id: record.id,
    }),
  );
  resident = new RoundRobin(urls());
  await ok(resident.post('/auth/login', { login: 'budi@griya-asri.id', password: 'rahasia-budi-1' }));
}, 180_000);

afterAll(async () => {
  for (const p of procs) await p.stop();
  await knex?.destroy();
  await pgdb?.drop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('with three server processes on one PostgreSQL behind a round-robin client', () => {
  it('a single-use pass scanned on all three at once is accepted once', async () => {
    const pass = await ok(office.post(`${base}/passes`, { kind: 'guest', unit_id: unitId, name: 'Tamu Arisan' }));
    expect(pass.max_uses).toBe(1);
    const verdicts = await Promise.all(
      [0, 1, 2].map(async (i) => (await kiosk.on(i).post(`${base}/gate/scan`, { payload: pass.qr_payload, direction: 'in' })).body),
    );
    expect(verdicts.filter((v) => v.verdict === 'accepted')).toHaveLength(1);
    expect(verdicts.filter((v) => v.verdict === 'rejected')).toHaveLength(2);
    const row = await knex('passes').where({ id: pass.id }).first('uses');
    expect(Number(row.uses)).toBe(1);
  });

  it('pairing-code guesses from one address lock it out on every process, the right code included', async () => {
    const device = await ok(office.post(`${base}/devices`, { name: 'Kios Belakang', kind: 'kiosk' }));
    const guesser = new RoundRobin(urls());
    const ip = from('198.51.100.23');
    const answers: number[] = [];
    // Ten attempts a minute per estate and address, whichever process answers them.
    for (let i = 0; i < 10; i++) answers.push((await guesser.post(`${base}/devices/pair`, { pairing_code: `ZZZZ${i}XXX` }, ip)).status);
    expect(answers).toEqual(Array(10).fill(400));
    for (let i = 0; i < 3; i++) {
      const refused = await guesser.on(i).post(`${base}/devices/pair`, { pairing_code: device.pairing_code }, ip);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('RATE_LIMITED');
    }
    // Another address is not affected.
    expect((await guesser.post(`${base}/devices/pair`, { pairing_code: device.pairing_code }, from('198.51.100.24'))).status).toBe(200);
  });

  it('typed pass-code guesses lock the kiosk out on every process', async () => {
    const pass = await ok(
      office.post(`${base}/passes`, {
        kind: 'temporary',
        unit_id: unitId,
        name: 'Kurir',
        valid_until: new Date(Date.now() + 4 * 3_600_000).toISOString(),
      }),
    );
    for (let i = 0; i < 5; i++) {
      const guess = String(100000 + i * 7919);
      if (guess === pass.code) continue;
      expect((await kiosk.post(`${base}/gate/scan`, { code: guess })).body.reason).toBe('unknown_code');
    }
    for (let i = 0; i < 3; i++) {
      expect((await kiosk.on(i).post(`${base}/gate/scan`, { code: pass.code })).body).toMatchObject({
        verdict: 'rejected',
        reason: 'throttled',
      });
    }
  });

  it('a scheduled billing run happens once although three processes run its tick at once', async () => {
    await ok(office.post(`${base}/fee-types`, { code: 'ipl', name: 'IPL', amount: 150000, basis: 'flat', effective_from: '2026-01' }));
    await ok(office.patch(base, { settings: { billing: { auto_run_day: 1, due_day: 15 } } }));
    // Three ticks for one moment (as three schedule slots planned by different leaders would be), claimed by
    // whichever workers are free: each process polls the queue.
    const tick = defineJob({ name: 'billing.schedule-tick', schema: z.object({ at: z.string() }), run: async () => {} });
    const ids: string[] = [];
    for (const key of ['three-a', 'three-b', 'three-c']) {
      ids.push((await enqueueJob(knex, tick, { at: '2027-03-05T03:00:00.000Z' }, { key: `test:${key}` })).id);
    }
    const deadline = Date.now() + 30_000;
    let jobs: { status: string; locked_by: string | null }[] = [];
    while (Date.now() < deadline) {
      jobs = await knex('jobs').whereIn('id', ids).select('status', 'locked_by');
      if (jobs.every((j) => j.status === 'done' || j.status === 'failed')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done', 'done']);
    const runs = await knex('billing_runs').where({ estate_id: estateId, period: '2027-03' }).select('trigger', 'invoices_created');
    expect(runs).toEqual([{ trigger: 'schedule', invoices_created: 1 }]);
    const invoices = await knex('invoices').where({ estate_id: estateId, period: '2027-03' }).select('unit_id');
    expect(invoices).toEqual([{ unit_id: unitId }]);
  });

  it('a portal and a kiosk connected to C hear of changes made through A', async () => {
    const portalOnC = await openLiveStream(resident.on(2), estateId);
    const kioskOnC = await openLiveStream(kiosk.on(2), estateId);
    const kioskOnB = await openLiveStream(kiosk.on(1), estateId);
    try {
      const isChange = (topic: string) => (e: LiveEvent) => e.event === 'change' && e.data.topic === topic && e.data.unit_id === unitId;
      // The resident registers a guest through A: the guard post's expected list changes on B and C.
      await ok(resident.on(0).post(`${base}/portal/passes`, { name: 'Tamu Sore' }));
      await kioskOnC.next(isChange('passes'));
      await kioskOnB.next(isChange('passes'));
      await portalOnC.next(isChange('passes'));
      // The treasurer records a payment through A: the resident's portal on C hears it, the kiosks do not.
      await ok(office.on(0).post(`${base}/payments`, { unit_id: unitId, amount: 150_000, method: 'cash', paid_at: '2026-11-05' }));
      await portalOnC.next(isChange('ledger'));
      expect(kioskOnC.events.some((e) => e.data.topic === 'ledger')).toBe(false);
    } finally {
      portalOnC.close();
      kioskOnC.close();
      kioskOnB.close();
    }
  });

  it('a transfer proof uploaded through A is downloadable through B and C', async () => {
    const proof = await ok(
      resident.on(0).upload(
        `${base}/portal/transfer-proofs`,
        { amount: '150000', paid_at: '2026-11-06', reference: 'BCA 1' },
        {
          file: { filename: 'bukti.png', content: PNG, type: 'image/png' },
        },
      ),
    );
    for (const i of [1, 2]) {
      const res = await fetch(`${procs[i].url}/api/v1${base}/transfer-proofs/${proof.id}/proof`, { headers: { cookie: office.cookie! } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('image/png');
      expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    }
    // The resident's own copy too, through another process than the upload's.
    const own = await fetch(`${procs[1].url}/api/v1${base}/portal/transfer-proofs/${proof.id}/proof`, {
      headers: { cookie: resident.cookie! },
    });
    expect(own.status).toBe(200);
    expect(Buffer.from(await own.arrayBuffer()).equals(PNG)).toBe(true);
  });
});
