import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { allJobs } from '../../server/jobs/registry.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { startFakeWhatsappCloud, type FakeWhatsappCloud } from '../support/fake-whatsapp-cloud.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';

/**
 * WhatsApp through Meta's Cloud API against a strict stand-in on 127.0.0.1: approved templates filled with the
 * message's values in the documented order, a Klustera template without a mapping refused for the office, final
 * refusals (a bad token) not tried again, server errors and rate limits tried again, and the access token never
 * answered; on SQLite and PostgreSQL.
 */
const PHONE_NUMBER_ID = '106540352242922';
const TOKEN = 'EAAG-cloud-token-griya-asri';

describe.each(['sqlite', 'postgres'] as const)('WhatsApp Cloud API on %s', (backendName) => {
  let server: TestServer;
  let database: TestDatabase | undefined;
  let admin: ApiClient;
  let treasurer: ApiClient;
  let estateId: string;
  let cloud: FakeWhatsappCloud;
  let unitNo = 0;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const knex = () => server.db.knex;
  const messageOf = async (causeId: string) =>
    knex()('messages').where({ estate_id: estateId, cause_id: causeId, channel: 'wa_gateway' }).first();
  const runAt = (at: Date) => new JobRunner(server.app, { jobs: allJobs, now: () => at, workerId: `w-${at.getTime()}` }).runDue();

  async function unitWithResident(phone: string) {
    const code = `C-${++unitNo}`;
    const unit = (await admin.post(e('/units'), { code, type: 'rumah', occupancy: 'occupied' })).body;
    const res = await admin.post(e('/residents'), { name: `Warga ${code}`, unit_id: unit.id, relation: 'owner', phone });
    expect(res.status, res.text).toBe(201);
    return { unitId: unit.id as string, code };
  }
  const pay = async (unitId: string, amount: number) => {
    const res = await treasurer.post(e('/payments'), { unit_id: unitId, amount, method: 'cash', paid_at: new Date().toISOString() });
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  };
  const useCloud = async (body: Record<string, unknown> = {}) => {
    const res = await treasurer.put(e('/settings/message-channels/wa-gateway'), {
      enabled: true,
      provider: 'cloud_api',
      base_url: cloud.url,
      phone_number_id: PHONE_NUMBER_ID,
      token: TOKEN,
      quiet_from: null,
      quiet_to: null,
      min_gap_s: 0,
      max_gap_s: 0,
      cloud_templates: { payment_received: { name: 'pembayaran_diterima', language: 'id' } },
      ...body,
    });
    expect(res.status, res.text).toBe(200);
    return res;
  };

  beforeAll(async () => {
    cloud = await startFakeWhatsappCloud(PHONE_NUMBER_ID, TOKEN);
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
    await server?.close();
    await database?.drop();
    await cloud?.close();
  });

  it('saves the Cloud API with its number id and templates, defaults Meta address, never answers the token', async () => {
    const missing = await treasurer.put(e('/settings/message-channels/wa-gateway'), {
      enabled: true,
      provider: 'cloud_api',
      token: TOKEN,
    });
    expect(missing.status, missing.text).toBe(400);
    expect(missing.text).toContain('phone_number_id');
    const badName = await treasurer.put(e('/settings/message-channels/wa-gateway'), {
      enabled: true,
      provider: 'cloud_api',
      phone_number_id: PHONE_NUMBER_ID,
      token: TOKEN,
      cloud_templates: { payment_received: { name: 'Pembayaran Diterima!' } },
    });
    expect(badName.status, badName.text).toBe(400);
    expect(await knex()('message_channels').where({ estate_id: estateId })).toHaveLength(0);

    const saved = await treasurer.put(e('/settings/message-channels/wa-gateway'), {
      enabled: false,
      provider: 'cloud_api',
      phone_number_id: PHONE_NUMBER_ID,
      token: TOKEN,
      cloud_templates: { payment_received: { name: 'pembayaran_diterima' } },
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.wa_gateway).toMatchObject({
      provider: 'cloud_api',
      base_url: 'https://graph.facebook.com/v21.0',
      phone_number_id: PHONE_NUMBER_ID,
      has_token: true,
      cloud_templates: { payment_received: { name: 'pembayaran_diterima', language: 'id' } },
    });
    expect(saved.text).not.toContain(TOKEN);
    const read = await treasurer.get(e('/settings/message-channels'));
    expect(read.status, read.text).toBe(200);
    expect(read.body.wa_gateway.provider).toBe('cloud_api');
    expect(read.text).not.toContain(TOKEN);
    const row = await knex()('message_channels').where({ estate_id: estateId, channel: 'wa_gateway' }).first();
    expect(JSON.stringify(row)).not.toContain(TOKEN);
    expect(JSON.stringify(await knex()('audit_log').where({ entity_table: 'message_channels' }))).not.toContain(TOKEN);
  });

  it("sends a payment's mapped template with its values as body parameters in order", async () => {
    await useCloud();
    const { unitId, code } = await unitWithResident('0812-7777-0001');
    const paymentId = await pay(unitId, 150_000);
    await runAt(new Date());
    const row = await messageOf(paymentId);
    expect(row.status, row.failure_reason).toBe('sent');
    const sent = cloud.sent.find((s) => s.to === '6281277770001')!;
    expect(row.provider_message_id).toBe(sent.id);
    expect(sent.template.name).toBe('pembayaran_diterima');
    expect(sent.template.language).toEqual({ code: 'id' });
    // payment_received: {{1}} nama, {{2}} unit, {{3}} jumlah, {{4}} link_kuitansi.
    const params = sent.template.components![0].parameters.map((p) => p.text);
    expect(params).toHaveLength(4);
    expect(params[0]).toBe(`Warga ${code}`);
    expect(params[1]).toBe(code);
    expect(params[2]).toMatch(/^Rp\s?150\.000$/);
    expect(params[3]).toBe(`${server.url}/api/v1/estates/${estateId}/portal/payments/${paymentId}/receipt.pdf`);

    const list = await treasurer.get(e('/messages?channel=wa_gateway'));
    expect(list.status, list.text).toBe(200);
    expect(list.text).not.toContain(TOKEN);
  });

  it('fails a message whose template has no approved mapping with a clear reason, without trying again or calling Meta', async () => {
    await useCloud({ cloud_templates: {} });
    const { unitId } = await unitWithResident('0812-7777-0002');
    const before = cloud.requests;
    const paymentId = await pay(unitId, 10_000);
    await runAt(new Date());
    const row = await messageOf(paymentId);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });
    expect(row.failure_reason).toContain('Template WhatsApp Cloud API belum diatur');
    await runAt(new Date(Date.now() + 60_000));
    expect((await messageOf(paymentId)).attempts).toBe(1);
    expect(cloud.requests).toBe(before);
  });

  it('fails at once on a refused token (401), without trying again', async () => {
    await useCloud({ token: 'EAAG-expired' });
    const { unitId } = await unitWithResident('0812-7777-0003');
    const before = cloud.requests;
    const paymentId = await pay(unitId, 10_000);
    await runAt(new Date());
    const row = await messageOf(paymentId);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });
    expect(row.failure_reason).toContain('Error validating access token');
    expect(row.failure_reason).toContain('HTTP 401');
    await runAt(new Date(Date.now() + 60_000));
    expect(cloud.requests).toBe(before + 1);
  });

  it('tries again after a server error and after the rate limit (130429), then sends once', async () => {
    await useCloud();
    for (const status of [500, 429] as const) {
      const { unitId } = await unitWithResident(status === 500 ? '0812-7777-0004' : '0812-7777-0005');
      const paymentId = await pay(unitId, 10_000);
      cloud.failNext(1, status);
      const at = Date.now();
      await runAt(new Date(at));
      const waiting = await messageOf(paymentId);
      expect(waiting.status).toBe('queued');
      expect(waiting.failure_reason).toContain(`HTTP ${status}`);
      expect(Date.parse(waiting.next_attempt_at) - at).toBe(2000);
      await runAt(new Date(at + 2000));
      const done = await messageOf(paymentId);
      expect(done).toMatchObject({ status: 'sent', attempts: 2 });
      expect(cloud.sent.filter((s) => s.to === done.recipient)).toHaveLength(1);
    }
  });

  it("the stand-in refuses a body outside Meta's shape with Meta's error", async () => {
    const res = await fetch(`${cloud.url}/${PHONE_NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: '6281277770009', type: 'text', text: { body: 'hai' } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'OAuthException', code: 100 });
    expect(typeof body.error.message).toBe('string');
    expect(typeof body.error.fbtrace_id).toBe('string');
  });
});
