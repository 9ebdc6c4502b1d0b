// SIGKILL the server right after it acknowledged a Xendit callback and before any job ran: after a restart on the
// same data, the stored event is processed and the payment recorded exactly once — on SQLite and on PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { startFakeXendit, type FakeXendit } from '../support/fake-xendit.ts';
import { setupEstate, startTestServer, userWithRole } from '../support/server.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'webhook-server-child.ts');
const SECRET_KEY = 'xnd_development_crash_fake_key';
const CALLBACK_TOKEN = 'callback-token-crash-0123456789';

function startChild(dataDir: string, url: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`server child ended (${code}): ${err}`));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

let fake: FakeXendit;
beforeAll(async () => {
  fake = await startFakeXendit(SECRET_KEY);
});
afterAll(async () => {
  await fake.close();
});

describe.each(['sqlite', 'postgres'] as const)('a Xendit callback across kill -9 on %s', (name) => {
  let pg: TestDatabase | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-webhook-crash-'));
    if (name === 'postgres') pg = await createTestDatabase(inject('pgUrl'));
  });
  afterAll(async () => {
    await pg?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is processed once after the restart', async () => {
    const { child, url } = await startChild(dataDir, pg?.url ?? '');
    let estateId: string;
    let unitId: string;
    let body: unknown;
    try {
      const setup = await setupEstate(url);
      estateId = setup.estateId;
      const admin = setup.client;
      const e = (p: string) => `/estates/${estateId}${p}`;
      const saved = await admin.put(e('/settings/payment-gateway'), {
        provider: 'xendit',
        enabled: true,
        base_url: fake.url,
        methods: ['qris'],
        fee_bearer: 'estate',
        secret_key: SECRET_KEY,
        callback_token: CALLBACK_TOKEN,
      });
      expect(saved.status, saved.text).toBe(200);
      unitId = (await admin.post(e('/units'), { code: 'K-1', type: 'rumah', occupancy: 'occupied' })).body.id;
      const resident = (await admin.post(e('/residents'), { name: 'Warga K-1', unit_id: unitId })).body;
      const { client } = await userWithRole(url, admin, estateId, 'resident', { resident_id: resident.id });
      await admin.post(e('/charges'), { name: 'Iuran', amount: 125_000, period: '2026-11', due_date: '2026-11-20', unit_ids: [unitId] });
      const charge = await client.post(e('/portal/online-charges'), { method: 'qris' });
      expect(charge.status, charge.text).toBe(201);
      const pr = fake.pay(fake.byReference(charge.body.reference)!.id);
      body = fake.paymentSucceededBody(pr, 'py-crash-1');
      const ack = await fake.sendWebhook(`${url}/api/v1/webhooks/xendit`, body, { token: CALLBACK_TOKEN, webhookId: 'wh-crash-1' });
      expect(ack.status).toBe(200);
    } finally {
      await kill(child);
    }

    const server = await startTestServer({ dataDir, databaseUrl: pg?.url, backgroundJobs: false });
    try {
      const knex = server.db.knex;
      expect(await knex('webhook_events').where({ provider: 'xendit', event_id: 'wh-crash-1' })).toHaveLength(1);
      expect(await knex('payments').where({ estate_id: estateId!, unit_id: unitId! })).toHaveLength(0);
      await server.jobs.runDue();
      // Xendit delivers it again after the outage: recognised, nothing more.
      const again = await fake.sendWebhook(`${server.url}/api/v1/webhooks/xendit`, body, {
        token: CALLBACK_TOKEN,
        webhookId: 'wh-crash-1',
      });
      expect(again.body).toEqual({ received: true, duplicate: true });
      await server.jobs.runDue();
      const payments = await knex('payments').where({ estate_id: estateId!, unit_id: unitId! });
      expect(payments).toHaveLength(1);
      expect(Number(payments[0].amount)).toBe(125_000);
      expect(await knex('webhook_events').where({ event_id: 'wh-crash-1' }).first()).toMatchObject({ status: 'processed' });
    } finally {
      await server.close();
    }
  });
});
