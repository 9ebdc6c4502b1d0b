import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { estateToday } from '../../server/calendar/calendar.ts';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { allJobs } from '../../server/jobs/registry.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { cloudSignature, cloudStatusBody, startFakeWhatsappCloud, type FakeWhatsappCloud } from '../support/fake-whatsapp-cloud.ts';
import { startFakeWhatsapp, wahaAckBody, wahaSignature, type FakeWhatsapp } from '../support/fake-whatsapp.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';

/**
 * Delivered and read statuses from the WhatsApp providers: the stand-ins post signed callbacks (Meta's
 * X-Hub-Signature-256, WAHA's X-Webhook-Hmac) to the real server, which moves messages only forward, ignores replays,
 * late events and ids that are not the estate's, refuses forged signatures and oversized bodies, and never answers the
 * keys; the office's report counts each channel's statuses and lists the units not reached; on SQLite and PostgreSQL.
 */
const PHONE_NUMBER_ID = '106540352242922';
const TOKEN = 'EAAG-cloud-token-delivery';
const APP_SECRET = 'meta-app-secret-griya-asri';
const VERIFY_TOKEN = 'verify-griya-asri-7781';
const WAHA_KEY = 'waha-api-key-delivery';
const WAHA_HMAC = 'waha-hmac-key-griya-asri';
const OTHER_SECRET = 'meta-app-secret-perumahan-b';

describe.each(['sqlite', 'postgres'] as const)('WhatsApp delivery statuses on %s', (backendName) => {
  let server: TestServer;
  let database: TestDatabase | undefined;
  let admin: ApiClient;
  let treasurer: ApiClient;
  let estateId: string;
  let otherEstateId: string;
  let cloud: FakeWhatsappCloud;
  let waha: FakeWhatsapp;
  let unitNo = 0;
  const e = (p: string, estate = estateId) => `/estates/${estate}${p}`;
  const hook = (provider: 'whatsapp-cloud' | 'waha', estate = estateId) => `${server.url}/api/v1/estates/${estate}/webhooks/${provider}`;
  const knex = () => server.db.knex;
  const messageOf = async (causeId: string) => knex()('messages').where({ cause_id: causeId, channel: 'wa_gateway' }).first();
  const statusOf = async (causeId: string) => (await messageOf(causeId)).status as string;
  const auditCount = async () => Number((await knex()('audit_log').where({ entity_table: 'messages' }).count({ n: '*' }))[0].n);
  const runAt = (at: Date) => new JobRunner(server.app, { jobs: allJobs, now: () => at, workerId: `w-${at.getTime()}` }).runDue();

  const gatewayBody = (provider: 'cloud_api' | 'waha', extra: Record<string, unknown> = {}) => ({
    enabled: true,
    provider,
    ...(provider === 'cloud_api'
      ? {
          base_url: cloud.url,
          phone_number_id: PHONE_NUMBER_ID,
          token: TOKEN,
          cloud_templates: { payment_received: { name: 'pembayaran_diterima', language: 'id' } },
        }
      : { base_url: waha.url, session: 'default', token: WAHA_KEY }),
    quiet_from: null,
    quiet_to: null,
    min_gap_s: 0,
    max_gap_s: 0,
    per_minute: 120,
    ...extra,
  });

  /** A unit with one resident, paid for: the payment's WhatsApp message sent; answers its cause (the payment id). */
  async function sentMessage(client = treasurer, estate = estateId) {
    const code = `D-${++unitNo}`;
    const unit = (await admin.post(e('/units', estate), { code, type: 'rumah', occupancy: 'occupied' })).body;
    const phone = `0813${String(60_000_000 + unitNo)}`;
    const resident = await admin.post(e('/residents', estate), { name: `Warga ${code}`, unit_id: unit.id, relation: 'owner', phone });
    expect(resident.status, resident.text).toBe(201);
    const pay = await client.post(e('/payments', estate), {
      unit_id: unit.id,
      amount: 10_000,
      method: 'cash',
      paid_at: new Date().toISOString(),
    });
    expect(pay.status, pay.text).toBe(201);
    await runAt(new Date());
    const row = await messageOf(pay.body.id);
    expect(row.status, row.failure_reason).toBe('sent');
    return { causeId: pay.body.id as string, providerId: row.provider_message_id as string, unitId: unit.id as string, code };
  }

  beforeAll(async () => {
    cloud = await startFakeWhatsappCloud(PHONE_NUMBER_ID, TOKEN);
    waha = await startFakeWhatsapp('waha', WAHA_KEY);
    if (backendName === 'postgres') {
      database = await createTestDatabase(inject('pgUrl'));
      server = await startTestServer({ databaseUrl: database.url, backgroundJobs: false });
    } else {
      server = await startTestServer({ backgroundJobs: false });
    }
    ({ client: admin, estateId } = await setupEstate(server.url));
    treasurer = (await userWithRole(server.url, admin, estateId, 'treasurer')).client;
    otherEstateId = (await admin.post('/estates', { name: 'Perumahan B' })).body.id;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    await cloud?.close();
    await waha?.close();
  });

  it('keeps the webhook keys sealed and write-only, and shows the callback address', async () => {
    const saved = await treasurer.put(
      e('/settings/message-channels/wa-gateway'),
      gatewayBody('cloud_api', { webhook_secret: APP_SECRET, webhook_verify_token: VERIFY_TOKEN }),
    );
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.wa_gateway).toMatchObject({
      has_webhook_secret: true,
      has_webhook_verify_token: true,
      status_webhook_url: `${server.url}/api/v1/estates/${estateId}/webhooks/whatsapp-cloud`,
    });
    // Saved again without them: kept.
    const again = await treasurer.put(e('/settings/message-channels/wa-gateway'), gatewayBody('cloud_api'));
    expect(again.body.wa_gateway).toMatchObject({ has_webhook_secret: true, has_webhook_verify_token: true });
    const read = await treasurer.get(e('/settings/message-channels'));
    for (const text of [saved.text, again.text, read.text]) {
      expect(text).not.toContain(APP_SECRET);
      expect(text).not.toContain(VERIFY_TOKEN);
    }
    const row = await knex()('message_channels').where({ estate_id: estateId, channel: 'wa_gateway' }).first();
    expect(JSON.stringify(row)).not.toContain(APP_SECRET);
    const audit = JSON.stringify(await knex()('audit_log').where({ entity_table: 'message_channels' }));
    expect(audit).not.toContain(APP_SECRET);
    expect(audit).not.toContain(VERIFY_TOKEN);
    // The other estate has its own Cloud API account and key.
    const other = await admin.put(
      e('/settings/message-channels/wa-gateway', otherEstateId),
      gatewayBody('cloud_api', { webhook_secret: OTHER_SECRET }),
    );
    expect(other.status, other.text).toBe(200);
  });

  it("answers Meta's verification with the challenge only for the estate's verify token", async () => {
    const url = (token: string, estate = estateId) =>
      `${hook('whatsapp-cloud', estate)}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`;
    const ok = await fetch(url(VERIFY_TOKEN));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    for (const res of [await fetch(url('wrong')), await fetch(url(VERIFY_TOKEN, otherEstateId))]) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('MESSAGE_WEBHOOK_VERIFY_FAILED');
    }
  });

  it('moves a Cloud API message to delivered then read; replays and late events change nothing', async () => {
    const { causeId, providerId } = await sentMessage();
    expect(providerId).toMatch(/^wamid\./);
    const delivered = await cloud.postStatuses(hook('whatsapp-cloud'), APP_SECRET, [{ id: providerId, status: 'delivered' }]);
    expect(delivered).toEqual({ status: 200, body: { received: true, applied: 1 } });
    expect(await statusOf(causeId)).toBe('delivered');
    const replay = await cloud.postStatuses(hook('whatsapp-cloud'), APP_SECRET, [{ id: providerId, status: 'delivered' }]);
    expect(replay.body.applied).toBe(0);
    const read = await cloud.postStatuses(hook('whatsapp-cloud'), APP_SECRET, [{ id: providerId, status: 'read' }]);
    expect(read.body.applied).toBe(1);
    const audits = await auditCount();
    // Late and out of order: sent, delivered and failed after read move nothing and write nothing.
    const late = await cloud.postStatuses(hook('whatsapp-cloud'), APP_SECRET, [
      { id: providerId, status: 'sent' },
      { id: providerId, status: 'delivered' },
      { id: providerId, status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable' }] },
    ]);
    expect(late).toEqual({ status: 200, body: { received: true, applied: 0 } });
    expect(await statusOf(causeId)).toBe('read');
    expect(await auditCount()).toBe(audits);
  });

  it('ends at read whatever order concurrent delivered and read callbacks land in, each move made once', async () => {
    const { causeId, providerId } = await sentMessage();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        cloud.postStatuses(hook('whatsapp-cloud'), APP_SECRET, [{ id: providerId, status: i % 2 ? 'read' : 'delivered' }]),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const applied = answers.reduce((n, a) => n + a.body.applied, 0);
    expect(applied).toBeGreaterThanOrEqual(1);
    expect(applied).toBeLessThanOrEqual(2);
    expect(await statusOf(causeId)).toBe('read');
    const moves = await knex()('audit_log')
      .where({ entity_table: 'messages', entity_id: (await messageOf(causeId)).id })
      .whereIn('action', ['messages.delivered', 'messages.read']);
    expect(moves).toHaveLength(applied);
  });

  it('takes read before delivered as read, and a failure with its reason', async () => {
    const first = await sentMessage();
    const second = await sentMessage();
    const res = await cloud.postStatuses(hook('whatsapp-cloud'), APP_SECRET, [
      { id: first.providerId, status: 'read' },
      { id: first.providerId, status: 'delivered' },
      {
        id: second.providerId,
        status: 'failed',
        errors: [
          { code: 131026, title: 'Message undeliverable', error_data: { details: 'Receiver is incapable of receiving this message' } },
        ],
      },
    ]);
    expect(res.body.applied).toBe(2);
    expect(await statusOf(first.causeId)).toBe('read');
    const failed = await messageOf(second.causeId);
    expect(failed.status).toBe('failed');
    expect(failed.failure_reason).toContain('Message undeliverable');
    expect(failed.failure_reason).toContain('131026');
  });

  it('acknowledges ids that are not its messages, and never touches another estate’s message', async () => {
    const mine = await sentMessage();
    const unknown = await cloud.postStatuses(hook('whatsapp-cloud'), APP_SECRET, [{ id: 'wamid.NOT-OURS-0001', status: 'read' }]);
    expect(unknown).toEqual({ status: 200, body: { received: true, applied: 0 } });
    // Perumahan B's provider, with B's own key, naming this estate's message at B's address: not B's message.
    const viaOther = await cloud.postStatuses(hook('whatsapp-cloud', otherEstateId), OTHER_SECRET, [
      { id: mine.providerId, status: 'read' },
    ]);
    expect(viaOther).toEqual({ status: 200, body: { received: true, applied: 0 } });
    // B's key at this estate's address: a forgery here.
    const crossKey = await cloud.postStatuses(hook('whatsapp-cloud'), OTHER_SECRET, [{ id: mine.providerId, status: 'read' }]);
    expect(crossKey.status).toBe(401);
    expect(await statusOf(mine.causeId)).toBe('sent');
  });

  it('refuses forged, missing and replayed-with-changes signatures with 401 and writes nothing', async () => {
    const { causeId, providerId } = await sentMessage();
    const audits = await auditCount();
    const body = cloudStatusBody(PHONE_NUMBER_ID, [{ id: providerId, status: 'read' }]);
    const tampered = body.replace('"read"', '"delivered"');
    const attempts: Record<string, string>[] = [
      { 'x-hub-signature-256': cloudSignature('guessed-secret', body) },
      {},
      { 'x-hub-signature-256': 'sha256=' },
      { 'x-hub-signature-256': cloudSignature(APP_SECRET, body).toUpperCase() + 'ff' },
    ];
    for (const headers of attempts) {
      const res = await fetch(hook('whatsapp-cloud'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('MESSAGE_WEBHOOK_SIGNATURE_INVALID');
    }
    // A genuine signature over other bytes.
    const swapped = await fetch(hook('whatsapp-cloud'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': cloudSignature(APP_SECRET, body) },
      body: tampered,
    });
    expect(swapped.status).toBe(401);
    expect(await statusOf(causeId)).toBe('sent');
    expect(await auditCount()).toBe(audits);
  });

  it('refuses an oversized body with 413 and a NUL-laden id without a 5xx', async () => {
    const big = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ pad: 'x'.repeat(80 * 1024) }] });
    const res = await fetch(hook('whatsapp-cloud'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': cloudSignature(APP_SECRET, big) },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('WEBHOOK_TOO_LARGE');
    const nul = await cloud.postStatuses(hook('whatsapp-cloud'), APP_SECRET, [{ id: 'wamid.\u0000', status: 'read' }]);
    expect(nul.status).toBeLessThan(500);
    expect(nul.status).toBeGreaterThanOrEqual(200);
  });

  it("takes WAHA's message.ack signed with the estate's HMAC key; the Cloud API address then refuses", async () => {
    const saved = await treasurer.put(e('/settings/message-channels/wa-gateway'), gatewayBody('waha', { webhook_secret: WAHA_HMAC }));
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.wa_gateway.status_webhook_url).toBe(hook('waha'));
    expect(saved.text).not.toContain(WAHA_HMAC);
    const { causeId, providerId } = await sentMessage();
    expect(providerId).toMatch(/^true_\d+@c\.us_/);
    expect((await waha.postAck(hook('waha'), WAHA_HMAC, providerId, 'SERVER')).body).toEqual({ received: true, applied: 0 });
    expect((await waha.postAck(hook('waha'), WAHA_HMAC, providerId, 'DEVICE')).body.applied).toBe(1);
    expect(await statusOf(causeId)).toBe('delivered');
    expect((await waha.postAck(hook('waha'), WAHA_HMAC, providerId, 'READ')).body.applied).toBe(1);
    expect((await waha.postAck(hook('waha'), WAHA_HMAC, providerId, 'DEVICE')).body.applied).toBe(0);
    expect((await waha.postAck(hook('waha'), WAHA_HMAC, providerId, 'ERROR')).body.applied).toBe(0);
    expect(await statusOf(causeId)).toBe('read');

    const forged = await waha.postAck(hook('waha'), 'not-the-key', providerId, 'ERROR');
    expect(forged.status).toBe(401);
    const body = wahaAckBody(providerId, 'ERROR');
    const wrongAlgorithm = await fetch(hook('waha'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-hmac': wahaSignature(WAHA_HMAC, body), 'x-webhook-hmac-algorithm': 'md5' },
      body,
    });
    expect(wrongAlgorithm.status).toBe(401);
    const cloudNow = await cloud.postStatuses(hook('whatsapp-cloud'), APP_SECRET, [{ id: providerId, status: 'failed' }]);
    expect(cloudNow.status).toBe(401);
    expect(await statusOf(causeId)).toBe('read');
  });

  it("counts each channel's statuses and lists the units not reached, for a template on the estate's day", async () => {
    const zone = process.env.KLUSTERA_TEST_ESTATE_TZ || 'Asia/Jakarta';
    const report = async () => {
      const res = await treasurer.get(e(`/messages/delivery?template_key=payment_received&date=${estateToday(zone)}`));
      expect(res.status, res.text).toBe(200);
      return res.body as {
        channels: { channel: string; sent: number; delivered: number; read: number; failed: number; total: number }[];
        units_total: number;
        not_reached: { unit_id: string; unit_code: string; messages: { status: string }[] }[];
      };
    };
    const wa = (r: Awaited<ReturnType<typeof report>>) =>
      r.channels.find((c) => c.channel === 'wa_gateway') ?? { sent: 0, delivered: 0, read: 0, failed: 0, total: 0 };
    const before = await report();
    const reachedUnit = await sentMessage();
    const waitingUnit = await sentMessage();
    const failedUnit = await sentMessage();
    await waha.postAck(hook('waha'), WAHA_HMAC, reachedUnit.providerId, 'READ');
    await waha.postAck(hook('waha'), WAHA_HMAC, failedUnit.providerId, 'ERROR');
    const after = await report();
    expect(wa(after).total - wa(before).total).toBe(3);
    expect(wa(after).read - wa(before).read).toBe(1);
    expect(wa(after).sent - wa(before).sent).toBe(1);
    expect(wa(after).failed - wa(before).failed).toBe(1);
    expect(after.units_total - before.units_total).toBe(3);
    const notReached = after.not_reached.map((u) => u.unit_id);
    expect(notReached).toContain(waitingUnit.unitId);
    expect(notReached).toContain(failedUnit.unitId);
    expect(notReached).not.toContain(reachedUnit.unitId);
    expect(after.not_reached.find((u) => u.unit_id === failedUnit.unitId)!.messages[0].status).toBe('failed');

    const bad = await treasurer.get(e('/messages/delivery?template_key=payment_received'));
    expect(bad.status).toBe(400);
    // Another estate's staff do not see this estate's report.
    const other = await treasurer.get(e(`/messages/delivery?date=${estateToday(zone)}`, otherEstateId));
    expect(other.status).toBe(404);
  });

  it("counts an announcement's WhatsApp messages by the batch report's rule: sent, delivered, read and failed apart", async () => {
    const unitIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const code = `P-${++unitNo}`;
      const unit = (await admin.post(e('/units'), { code, type: 'rumah', occupancy: 'occupied' })).body;
      const phone = `0813${String(70_000_000 + unitNo)}`;
      const resident = await admin.post(e('/residents'), { name: `Warga ${code}`, unit_id: unit.id, relation: 'owner', phone });
      expect(resident.status, resident.text).toBe(201);
      unitIds.push(unit.id);
    }
    const created = await admin.post(e('/announcements'), {
      title: 'Air mati Sabtu',
      body_html: '<p>Pukul 08.00–12.00</p>',
      target_unit_ids: unitIds,
      channels: ['portal', 'whatsapp'],
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    expect((await admin.post(e(`/announcements/${id}/publish`), { publish_at: null })).status).toBe(200);
    await runAt(new Date());
    const messages = await knex()('messages').where({ cause_kind: 'announcement', cause_id: id });
    expect(messages.map((m: { channel: string; status: string }) => `${m.channel}:${m.status}`)).toEqual(Array(4).fill('wa_gateway:sent'));
    const [read, delivered, failed] = messages.map((m: { provider_message_id: string }) => m.provider_message_id);
    expect((await waha.postAck(hook('waha'), WAHA_HMAC, read, 'READ')).body.applied).toBe(1);
    expect((await waha.postAck(hook('waha'), WAHA_HMAC, delivered, 'DEVICE')).body.applied).toBe(1);
    expect((await waha.postAck(hook('waha'), WAHA_HMAC, failed, 'ERROR')).body.applied).toBe(1);

    const report = await treasurer.get(e(`/announcements/${id}/delivery`));
    expect(report.status, report.text).toBe(200);
    const whatsapp = report.body.channels.find((c: { channel: string }) => c.channel === 'whatsapp');
    // Not "3 delivered": the one still only sent, the delivered one and the read one each count once, under their status.
    expect(whatsapp).toEqual({ channel: 'whatsapp', total: 4, queued: 0, sent: 1, delivered: 1, read: 1, failed: 1, cancelled: 0 });
    expect(report.body.channels.find((c: { channel: string }) => c.channel === 'portal')).toMatchObject({ total: 4, delivered: 4 });
    // The batch report of the same announcement counts the same messages the same way.
    const batch = await treasurer.get(e(`/messages/delivery?template_key=announcement&cause_id=${id}`));
    expect(batch.status, batch.text).toBe(200);
    const { channel: _whatsapp, ...counts } = whatsapp;
    expect(batch.body.channels).toEqual([{ channel: 'wa_gateway', ...counts }]);
  });
});
