import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { allJobs } from '../../server/jobs/registry.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { startFakePushService, type FakePushService } from '../support/fake-push-service.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';

/**
 * Web Push for the resident portal end to end: a resident's phone (keys made here, as a browser makes them)
 * subscribes through the portal API, the server sends through a push service on 127.0.0.1 that checks the VAPID
 * signature and decrypts the aes128gcm payload; on SQLite and PostgreSQL. Jobs run under a clock the test sets.
 */
describe.each(['sqlite', 'postgres'] as const)('web push on %s', (backendName) => {
  let server: TestServer;
  let database: TestDatabase | undefined;
  let admin: ApiClient;
  let treasurer: ApiClient;
  let estateId: string;
  let push: FakePushService;
  let unitNo = 0;
  const previousServices = process.env.KLUSTERA_PUSH_SERVICES;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const knex = () => server.db.knex;
  const runAt = (at: Date) => new JobRunner(server.app, { jobs: allJobs, now: () => at, workerId: `w-${at.getTime()}` }).runDue();

  /** A unit with a resident who signed in to the portal. */
  async function residentWithPortal() {
    const code = `P-${++unitNo}`;
    const unit = (await admin.post(e('/units'), { code, type: 'rumah', occupancy: 'occupied' })).body;
    const resident = await admin.post(e('/residents'), { name: `Warga ${code}`, unit_id: unit.id, relation: 'owner' });
    expect(resident.status, resident.text).toBe(201);
    const user = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: resident.body.id });
    return { unitId: unit.id as string, residentId: resident.body.id as string, code, client: user.client };
  }

  async function subscribed(client: ApiClient) {
    const device = push.subscription();
    const res = await client.post(e('/portal/push/subscriptions'), {
      endpoint: device.endpoint,
      expirationTime: null,
      keys: device.keys,
      device: 'Chrome di Android',
    });
    expect(res.status, res.text).toBe(201);
    return { ...device, subscriptionId: res.body.id as string };
  }

  const pay = async (unitId: string, amount: number) => {
    const res = await treasurer.post(e('/payments'), { unit_id: unitId, amount, method: 'cash', paid_at: new Date().toISOString() });
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  };
  const pushMessage = (causeId: string) => knex()('messages').where({ estate_id: estateId, cause_id: causeId, channel: 'webpush' });

  beforeAll(async () => {
    push = await startFakePushService();
    process.env.KLUSTERA_PUSH_SERVICES = push.origin;
    if (backendName === 'postgres') {
      database = await createTestDatabase(inject('pgUrl'));
      server = await startTestServer({ databaseUrl: database.url, backgroundJobs: false });
    } else {
      server = await startTestServer({ backgroundJobs: false });
    }
    ({ client: admin, estateId } = await setupEstate(server.url));
    treasurer = (await userWithRole(server.url, admin, estateId, 'treasurer')).client;
  }, 120_000);

  afterAll(async () => {
    if (previousServices === undefined) delete process.env.KLUSTERA_PUSH_SERVICES;
    else process.env.KLUSTERA_PUSH_SERVICES = previousServices;
    await server?.close();
    await database?.drop();
    await push?.close();
  });

  it('sends a payment to the resident’s phone once, signed with the installation’s key and readable only by it', async () => {
    const { unitId, code, client } = await residentWithPortal();
    const status = await client.get(e('/portal/push'));
    expect(status.status, status.text).toBe(200);
    const publicKey = status.body.public_key as string;
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    const device = await subscribed(client);
    expect((await client.get(e('/portal/push'))).body.subscriptions).toEqual([
      expect.objectContaining({ id: device.subscriptionId, device: 'Chrome di Android' }),
    ]);
    const created = await knex()('audit_log').where({ entity_id: device.subscriptionId, action: 'webpush_subscriptions.create' }).first();
    expect(JSON.parse(created.after)).toMatchObject({ resident_id: expect.any(String), endpoint: device.endpoint });
    expect(JSON.parse(created.after)).not.toHaveProperty('auth');
    // The same key after a restart of the key cache: it is stored once per installation, its private half sealed.
    const stored = await knex()('installation_settings').where({ key: 'webpush_vapid' }).first('value');
    expect(JSON.parse(stored.value).public_key).toBe(publicKey);
    expect(stored.value).not.toContain('"private_key"');

    const before = push.received.length;
    const paymentId = await pay(unitId, 50_000);
    const [queued] = await pushMessage(paymentId);
    expect(queued).toMatchObject({ status: 'queued', template_key: 'payment_received' });
    await runAt(new Date());
    await runAt(new Date(Date.now() + 60_000));
    const got = push.received.slice(before);
    expect(push.refused).toEqual([]);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ subscription: device.id, vapidKey: publicKey, urgency: 'normal' });
    expect(got[0].ttl).toBeGreaterThan(0);
    expect(got[0].payload).toEqual({
      title: `Pembayaran diterima: ${code} Rp 50.000`,
      body: expect.stringContaining(`pembayaran unit ${code} sebesar Rp 50.000 sudah kami terima`),
      url: '/portal/bills',
      tag: queued.id,
    });
    expect((got[0].payload as { body: string }).body).toContain(
      `${server.url}/api/v1/estates/${estateId}/portal/payments/${paymentId}/receipt.pdf`,
    );
    const [sent] = await pushMessage(paymentId);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, provider_message_id: `${push.origin}/message/${before + 1}` });
  });

  it('removes a subscription the push service calls gone (410), and retries other failures with backoff', async () => {
    const { unitId, client, residentId } = await residentWithPortal();
    const device = await subscribed(client);
    push.answerWith(device.id, 503);
    const first = await pay(unitId, 10_000);
    const now = Date.now();
    await runAt(new Date(now));
    const [retrying] = await pushMessage(first);
    expect(retrying).toMatchObject({ status: 'queued', attempts: 1 });
    expect(retrying.failure_reason).toContain('HTTP 503');
    expect(Date.parse(retrying.next_attempt_at)).toBeGreaterThan(now);
    await runAt(new Date(now + 60_000));
    expect((await pushMessage(first))[0]).toMatchObject({ status: 'sent', attempts: 2 });

    push.answerWith(device.id, 410);
    const second = await pay(unitId, 20_000);
    await runAt(new Date(Date.now() + 120_000));
    const [failed] = await pushMessage(second);
    expect(failed.status).toBe('failed');
    const row = await knex()('webpush_subscriptions').where({ id: device.subscriptionId }).first();
    expect(row.deleted_at).not.toBeNull();
    const audit = await knex()('audit_log').where({ entity_id: device.subscriptionId, action: 'webpush_subscriptions.gone' });
    expect(audit).toHaveLength(1);
    expect((await client.get(e('/portal/push'))).body.subscriptions).toEqual([]);

    // Push is off now: the next payment queues no push at all.
    const third = await pay(unitId, 30_000);
    expect(await pushMessage(third)).toEqual([]);
    expect(residentId).toBeTruthy();
  });

  it('turns push off for the device and takes it back on', async () => {
    const { unitId, client } = await residentWithPortal();
    const device = await subscribed(client);
    const off = await client.post(e('/portal/push/subscriptions/remove'), { endpoint: device.endpoint });
    expect(off.status, off.text).toBe(200);
    expect(off.body.removed).toBe(1);
    expect(await pushMessage(await pay(unitId, 5_000))).toEqual([]);
    const again = await client.post(e('/portal/push/subscriptions'), { endpoint: device.endpoint, keys: device.keys });
    expect(again.status, again.text).toBe(201);
    expect(again.body.id).toBe(device.subscriptionId);
    expect(await pushMessage(await pay(unitId, 6_000))).toHaveLength(1);
  });

  it('sends an announcement published to the unit', async () => {
    const { unitId, client } = await residentWithPortal();
    const device = await subscribed(client);
    const created = await admin.post(e('/announcements'), {
      title: 'Kerja bakti Minggu',
      body_html: '<p>Kumpul di pos jam 7.</p>',
      target_unit_ids: [unitId],
      channels: ['portal'],
    });
    expect(created.status, created.text).toBe(201);
    const published = await admin.post(e(`/announcements/${created.body.id}/publish`), {});
    expect(published.status, published.text).toBe(200);
    const before = push.received.length;
    await runAt(new Date(Date.now() + 180_000));
    const got = push.received.slice(before).filter((p) => p.subscription === device.id);
    expect(got).toHaveLength(1);
    expect(got[0].payload).toMatchObject({
      title: 'Pengumuman: Kerja bakti Minggu',
      url: `/portal/announcements/${created.body.id}`,
    });
  });

  it('refuses a subscription for an estate the resident does not live in, or to an unknown push service', async () => {
    const { client } = await residentWithPortal();
    const other = (await admin.post('/estates', { name: 'Perumahan Lain' })).body.id as string;
    const count = async () => Number((await knex()('webpush_subscriptions').count({ n: '*' }))[0].n);
    const before = await count();
    const device = push.subscription();
    const elsewhere = await client.post(`/estates/${other}/portal/push/subscriptions`, { endpoint: device.endpoint, keys: device.keys });
    expect([403, 404]).toContain(elsewhere.status);
    expect((await client.get(`/estates/${other}/portal/push`)).status).toBeGreaterThanOrEqual(403);

    const unknown = await client.post(e('/portal/push/subscriptions'), { endpoint: 'https://192.168.1.1/push/x', keys: device.keys });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'PUSH_ENDPOINT_REFUSED', field: 'endpoint' });
    const badKeys = await client.post(e('/portal/push/subscriptions'), {
      endpoint: device.endpoint,
      keys: { p256dh: device.keys.p256dh.slice(0, 40), auth: device.keys.auth },
    });
    expect(badKeys.status).toBe(422);
    expect(badKeys.body.error.code).toBe('PUSH_KEYS_INVALID');
    const tooLong = await client.post(e('/portal/push/subscriptions'), {
      endpoint: `${push.origin}/${'x'.repeat(2000)}`,
      keys: device.keys,
    });
    expect(tooLong.status).toBe(400);
    // The office is not a resident: no push of its own.
    expect((await treasurer.post(e('/portal/push/subscriptions'), { endpoint: device.endpoint, keys: device.keys })).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it('keeps at most five devices per resident, the newest', async () => {
    const { client } = await residentWithPortal();
    const devices = [];
    for (let i = 0; i < 6; i++) devices.push(await subscribed(client));
    const list = (await client.get(e('/portal/push'))).body.subscriptions as { id: string }[];
    expect(list).toHaveLength(5);
    expect(list.map((s) => s.id)).not.toContain(devices[0].subscriptionId);
  });
});
