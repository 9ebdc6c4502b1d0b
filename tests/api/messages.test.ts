import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDaysToDate, estateToday, zoneOffsetMs } from '../../server/calendar/calendar.ts';
import { enqueueJob } from '../../server/jobs/job-queue.ts';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { allJobs } from '../../server/jobs/registry.ts';
import { planRemindersJob } from '../../server/messages/index.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { startFakeWhatsapp, type FakeWhatsapp } from '../support/fake-whatsapp.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.ts';

/**
 * Messages to residents end to end: the wa.me list the office ticks, email through a real SMTP server in-process
 * (with the receipt PDF), a Fonnte-style gateway and WAHA on 127.0.0.1, retries with backoff, throttling, quiet
 * hours, opt-out, a reminder a payment cancels, and one message per cause however many writes race for it; on SQLite
 * and PostgreSQL. Jobs run under a clock the test sets (`JobRunner({ now })`).
 */
const FONNTE_TOKEN = 'fonnte-token-griya-asri';
const WAHA_KEY = 'waha-key-griya-asri';

describe.each(['sqlite', 'postgres'] as const)('messages on %s', (backendName) => {
  let server: TestServer;
  let database: TestDatabase | undefined;
  let admin: ApiClient;
  let treasurer: ApiClient;
  let staff: ApiClient;
  let estateId: string;
  let zone: string;
  let inbox: SmtpInbox;
  let fonnte: FakeWhatsapp;
  let waha: FakeWhatsapp;
  let unitNo = 0;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const knex = () => server.db.knex;
  const messagesOf = (causeId: string) => knex()('messages').where({ estate_id: estateId, cause_id: causeId }).orderBy('channel');

  /** Runs every due job as if the time were `at`. */
  const runAt = (at: Date, workerId = `w-${at.getTime()}`) =>
    new JobRunner(server.app, { jobs: allJobs, now: () => at, workerId }).runDue();
  /** `hh:mm` of the estate's today (or `day`) as an instant. */
  const localTime = (hhmm: string, day = estateToday(zone)) => {
    const naive = Date.parse(`${day}T${hhmm}:00Z`);
    return new Date(naive - zoneOffsetMs(zone, naive));
  };

  async function unitWithResident(resident: Record<string, unknown>, invoice?: { amount: number; due_date: string }) {
    const code = `M-${++unitNo}`;
    const unit = (await admin.post(e('/units'), { code, type: 'rumah', occupancy: 'occupied' })).body;
    const res = await admin.post(e('/residents'), { name: `Warga ${code}`, unit_id: unit.id, relation: 'owner', ...resident });
    expect(res.status, res.text).toBe(201);
    if (invoice) {
      const charged = await admin.post(e('/charges'), {
        name: 'Iuran',
        period: invoice.due_date.slice(0, 7),
        unit_ids: [unit.id],
        ...invoice,
      });
      expect(charged.status, charged.text).toBe(201);
    }
    return { unitId: unit.id as string, residentId: res.body.id as string, code };
  }

  const pay = async (unitId: string, amount: number) => {
    const res = await treasurer.post(e('/payments'), { unit_id: unitId, amount, method: 'cash', paid_at: new Date().toISOString() });
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  };

  const useGateway = async (body: Record<string, unknown>) => {
    const res = await treasurer.put(e('/settings/message-channels/wa-gateway'), {
      enabled: true,
      provider: 'fonnte',
      base_url: fonnte.url,
      token: FONNTE_TOKEN,
      quiet_from: null,
      quiet_to: null,
      per_minute: 100,
      per_day: 1000,
      min_gap_s: 0,
      max_gap_s: 0,
      ...body,
    });
    expect(res.status, res.text).toBe(200);
  };
  const gatewayOff = async () => {
    const res = await treasurer.put(e('/settings/message-channels/wa-gateway'), {
      enabled: false,
      provider: 'fonnte',
      base_url: fonnte.url,
    });
    expect(res.status, res.text).toBe(200);
  };

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    fonnte = await startFakeWhatsapp('fonnte', FONNTE_TOKEN);
    waha = await startFakeWhatsapp('waha', WAHA_KEY);
    if (backendName === 'postgres') {
      database = await createTestDatabase(inject('pgUrl'));
      server = await startTestServer({ databaseUrl: database.url, backgroundJobs: false });
    } else {
      server = await startTestServer({ backgroundJobs: false });
    }
    ({ client: admin, estateId } = await setupEstate(server.url));
    zone = (await knex()('estates').where({ id: estateId }).first('timezone')).timezone;
    treasurer = (await userWithRole(server.url, admin, estateId, 'treasurer')).client;
    staff = (await userWithRole(server.url, admin, estateId, 'staff')).client;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await database?.drop();
    await inbox?.close();
    await fonnte?.close();
    await waha?.close();
  });

  it('by default prepares a wa.me message the office opens and ticks off, once', async () => {
    const { unitId, code } = await unitWithResident({ phone: '0812-1111-2222' });
    const paymentId = await pay(unitId, 50_000);
    const [row] = await messagesOf(paymentId);
    expect(row).toMatchObject({ channel: 'wa_link', status: 'queued', recipient: '6281211112222', template_key: 'payment_received' });

    const list = await staff.get(e('/messages?channel=wa_link&status=queued'));
    expect(list.status, list.text).toBe(200);
    const item = list.body.items.find((m: { id: string }) => m.id === row.id);
    expect(item.body_text).toContain(`unit ${code}`);
    expect(item.body_text).toContain('Rp');
    expect(item.body_text).toContain(`${server.url}/api/v1/estates/${estateId}/portal/payments/${paymentId}/receipt.pdf`);
    expect(item.wa_link).toBe(`https://wa.me/6281211112222?text=${encodeURIComponent(item.body_text)}`);

    expect((await staff.post(e(`/messages/${row.id}/mark-sent`))).status).toBe(403);
    const ticked = await treasurer.post(e(`/messages/${row.id}/mark-sent`));
    expect(ticked.status, ticked.text).toBe(200);
    expect(ticked.body.status).toBe('sent');
    const again = await treasurer.post(e(`/messages/${row.id}/mark-sent`));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('MESSAGE_NOT_QUEUED');
  });

  it('sends email over SMTP with text, escaped HTML and the receipt PDF attached; the password is never answered', async () => {
    const saved = await treasurer.put(e('/settings/message-channels/email'), {
      enabled: true,
      host: '127.0.0.1',
      port: inbox.port,
      secure: false,
      user: null,
      from_address: 'pengurus@griya-asri.id',
      from_name: 'Pengurus Griya Asri',
      password: 'smtp-rahasia-123',
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.email).toMatchObject({ enabled: true, has_password: true });
    expect(saved.text).not.toContain('smtp-rahasia-123');
    const row = await knex()('message_channels').where({ estate_id: estateId, channel: 'email' }).first();
    expect(JSON.stringify(row)).not.toContain('smtp-rahasia-123');
    expect(JSON.stringify(await knex()('audit_log').where({ entity_table: 'message_channels' }))).not.toContain('secret_enc');

    const { unitId } = await unitWithResident({ name: 'Budi <script>alert(1)</script>', email: 'budi@contoh.id' });
    const paymentId = await pay(unitId, 75_000);
    const rows = await messagesOf(paymentId);
    expect(rows.map((r) => r.channel)).toEqual(['email']);
    await runAt(new Date());
    expect((await messagesOf(paymentId))[0].status).toBe('sent');
    const mail = inbox.mails.find((m) => m.to.includes('budi@contoh.id'))!;
    expect(mail).toBeDefined();
    expect(mail.text).toContain('Budi <script>alert(1)</script>');
    expect(mail.html).toContain('Budi &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].contentType).toBe('application/pdf');
    expect(mail.attachments[0].content.subarray(0, 5).toString()).toBe('%PDF-');

    await treasurer.put(e('/settings/message-channels/email'), {
      enabled: false,
      host: '127.0.0.1',
      port: inbox.port,
      from_address: 'pengurus@griya-asri.id',
    });
  });

  it('sends through a Fonnte-style gateway, retries with backoff, then shows the failure and retries by hand', async () => {
    await useGateway({});
    const { unitId } = await unitWithResident({ phone: '+62 813 3333 4444' });
    const paymentId = await pay(unitId, 10_000);
    const [row] = await messagesOf(paymentId);
    expect(row.channel).toBe('wa_gateway');

    fonnte.failNext(100);
    let at = Date.now();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await runAt(new Date(at));
      const now = (await messagesOf(paymentId))[0];
      if (now.status === 'failed') break;
      expect(now.status).toBe('queued');
      expect(now.failure_reason).toContain('device disconnected');
      waits.push(Date.parse(now.next_attempt_at) - at);
      at = Date.parse(now.next_attempt_at);
    }
    // 2 s, 4 s, 8 s, 16 s between tries, then failed after the fifth.
    expect(waits).toEqual([2000, 4000, 8000, 16000]);
    const failed = (await messagesOf(paymentId))[0];
    expect(failed).toMatchObject({ status: 'failed', attempts: 5 });
    const listed = await staff.get(e('/messages?status=failed'));
    expect(listed.body.items.map((m: { id: string }) => m.id)).toContain(row.id);

    fonnte.failNext(0);
    const retried = await treasurer.post(e(`/messages/${row.id}/retry`));
    expect(retried.status, retried.text).toBe(200);
    await runAt(new Date(at + 1000));
    expect((await messagesOf(paymentId))[0].status).toBe('sent');
    const sent = fonnte.sent.filter((s) => s.number === '6281333334444');
    expect(sent).toHaveLength(1);
    expect(sent[0].headers.authorization).toBe(FONNTE_TOKEN);
    expect(sent[0].text).toContain('Rp');
    await gatewayOff();
  });

  it('sends through WAHA with its key, session and chat id', async () => {
    const res = await treasurer.put(e('/settings/message-channels/wa-gateway'), {
      enabled: true,
      provider: 'waha',
      base_url: waha.url,
      session: 'griya',
      token: WAHA_KEY,
      quiet_from: null,
      quiet_to: null,
      min_gap_s: 0,
      max_gap_s: 0,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).not.toContain(WAHA_KEY);
    const { unitId } = await unitWithResident({ phone: '081255556666' });
    const paymentId = await pay(unitId, 20_000);
    await runAt(new Date());
    const [row] = await messagesOf(paymentId);
    expect(row.status).toBe('sent');
    expect(row.provider_message_id).toMatch(/^true_6281255556666@c\.us_/);
    const sent = waha.sent.find((s) => s.number === '6281255556666')!;
    expect(sent.headers['x-api-key']).toBe(WAHA_KEY);
    expect(sent.session).toBe('griya');
    await gatewayOff();
  });

  it('throttles the gateway per minute with spacing, and holds WhatsApp in quiet hours until morning', async () => {
    await useGateway({ per_minute: 2, min_gap_s: 1, max_gap_s: 5, quiet_from: '21:00', quiet_to: '07:00' });
    const units = [];
    for (let i = 0; i < 3; i++) units.push(await unitWithResident({ phone: `0815000000${10 + i}` }));
    const payments = [];
    for (const u of units) payments.push(await pay(u.unitId, 1000));

    // 22:00 in the estate: nothing goes, everything waits for 07:00.
    // Tomorrow's night and the morning after, so every queued job is due by then whatever the hour now.
    const night = localTime('22:00', addDaysToDate(estateToday(zone), 1));
    await runAt(night);
    const morning = localTime('07:00', addDaysToDate(estateToday(zone, night), 1));
    for (const p of payments) {
      const [m] = await messagesOf(p);
      expect(m.status).toBe('queued');
      expect(Date.parse(m.next_attempt_at)).toBeGreaterThanOrEqual(morning.getTime());
      expect(Date.parse(m.next_attempt_at)).toBeLessThan(morning.getTime() + 60_000);
    }
    const before = fonnte.sent.length;

    // After 07:00: two in the first minute, a second or more apart; the third waits for the next minute.
    let at = morning.getTime() + 61_000;
    for (let i = 0; i < 6; i++) {
      await runAt(new Date(at));
      at += 1_000;
    }
    const sentRows = (await Promise.all(payments.map(async (p) => (await messagesOf(p))[0]))).filter((m) => m.status === 'sent');
    expect(sentRows).toHaveLength(2);
    const times = sentRows.map((m) => Date.parse(m.sent_at)).sort();
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(1000);
    expect(fonnte.sent.length - before).toBe(2);
    const waiting = (await Promise.all(payments.map(async (p) => (await messagesOf(p))[0]))).find((m) => m.status === 'queued')!;
    expect(Date.parse(waiting.next_attempt_at)).toBeGreaterThanOrEqual(times[0] + 60_000);

    await runAt(new Date(at + 120_000));
    expect(fonnte.sent.length - before).toBe(3);
    await gatewayOff();
  });

  it('leaves out a resident who opted out, and follows a chosen channel', async () => {
    const a = await unitWithResident({ phone: '081277778888', email: 'a@contoh.id' });
    const opted = await treasurer.put(e(`/residents/${a.residentId}/message-preferences`), { channels: null, opted_out: true });
    expect(opted.status, opted.text).toBe(200);
    expect(await messagesOf(await pay(a.unitId, 1000))).toEqual([]);

    const b = await unitWithResident({ phone: '081299990000', email: 'b@contoh.id' });
    await treasurer.put(e(`/residents/${b.residentId}/message-preferences`), { channels: ['portal'], opted_out: false });
    const rows = await messagesOf(await pay(b.unitId, 1000));
    expect(rows.map((r) => [r.channel, r.status])).toEqual([['portal', 'sent']]);
  });

  it('plans H-1 reminders for what is still owed, and a payment before sending cancels it', async () => {
    await useGateway({});
    const today = estateToday(zone);
    const owed = await unitWithResident({ phone: '081211110001' }, { amount: 100_000, due_date: addDaysToDate(today, 1) });
    const paid = await unitWithResident({ phone: '081211110002' }, { amount: 100_000, due_date: addDaysToDate(today, 1) });
    await enqueueJob(knex(), planRemindersJob, { day: today }, { estateId, key: `test:${today}` });
    // Planning only: the sending jobs it queues wait for the next run.
    await new JobRunner(server.app, { jobs: [planRemindersJob], workerId: 'planner' }).runDue();
    const reminders = await knex()('messages')
      .where({ estate_id: estateId, cause_kind: 'reminder_h1' })
      .whereIn('unit_id', [owed.unitId, paid.unitId]);
    expect(reminders).toHaveLength(2);
    expect(reminders[0].body_text).toContain('jatuh tempo besok');

    await pay(paid.unitId, 100_000);
    const before = fonnte.sent.length;
    await runAt(new Date());
    const after = await knex()('messages')
      .where({ estate_id: estateId, cause_kind: 'reminder_h1' })
      .whereIn('unit_id', [owed.unitId, paid.unitId]);
    const byUnit = Object.fromEntries(after.map((m) => [m.unit_id, m.status]));
    expect(byUnit).toEqual({ [owed.unitId]: 'sent', [paid.unitId]: 'cancelled' });
    // The paid unit still gets its receipt; only the owed one gets the reminder.
    expect(
      fonnte.sent
        .slice(before)
        .filter((s) => s.text.includes('jatuh tempo besok'))
        .map((s) => s.number),
    ).toEqual(['6281211110001']);

    // Planning the same day again queues nothing new.
    await enqueueJob(knex(), planRemindersJob, { day: today }, { estateId, key: `test-again:${today}` });
    await new JobRunner(server.app, { jobs: [planRemindersJob], workerId: 'planner-2' }).runDue();
    expect(
      await knex()('messages').where({ estate_id: estateId, cause_kind: 'reminder_h1' }).whereIn('unit_id', [owed.unitId, paid.unitId]),
    ).toHaveLength(2);
    await gatewayOff();
  });

  it('previews a reminder batch without writing, and racing batches for one unit make one message', async () => {
    const u = await unitWithResident({ phone: '081244440000' }, { amount: 125_000, due_date: '2026-11-20' });
    const count = async () => Number((await knex()('messages').where({ estate_id: estateId, unit_id: u.unitId }).count({ n: '*' }))[0].n);
    const preview = await treasurer.post(e('/messages/reminders'), { unit_ids: [u.unitId], preview: true });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.items).toHaveLength(1);
    expect(preview.body.items[0]).toMatchObject({ unit_code: u.code, amount: 125_000, channel: 'wa_link' });
    expect(preview.body.items[0].text).toContain('Rp');
    expect(await count()).toBe(0);

    const racing = await Promise.all(Array.from({ length: 6 }, () => treasurer.post(e('/messages/reminders'), { unit_ids: [u.unitId] })));
    expect(racing.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(racing.reduce((sum, r) => sum + r.body.queued, 0)).toBe(1);
    expect(await count()).toBe(1);
  });

  it("withdraws a hand reminder from the office's wa.me list once the unit has paid all it owed, not after part of it", async () => {
    const u = await unitWithResident({ phone: '081244441111' }, { amount: 150_000, due_date: '2026-11-20' });
    const batch = await treasurer.post(e('/messages/reminders'), { unit_ids: [u.unitId] });
    expect(batch.body.queued).toBe(1);
    const waiting = async () =>
      (await treasurer.get(e(`/messages?channel=wa_link&status=queued&unit_id=${u.unitId}`))).body.items.map(
        (m: { template_key: string }) => m.template_key,
      );
    expect(await waiting()).toEqual(['overdue_digest']);
    await pay(u.unitId, 50_000);
    // Part paid: the rest is still owed, the reminder stays; the receipt joins it.
    expect((await waiting()).sort()).toEqual(['overdue_digest', 'payment_received']);
    await pay(u.unitId, 100_000);
    expect(await waiting()).toEqual(['payment_received', 'payment_received']);
    const reminder = await knex()('messages').where({ estate_id: estateId, unit_id: u.unitId, cause_kind: 'manual_reminder' }).first();
    expect(reminder).toMatchObject({ status: 'cancelled', failure_reason: 'Tagihan sudah lunas.' });
    // Ticking it off afterwards is refused: it was never sent.
    const tick = await treasurer.post(e(`/messages/${reminder.id}/mark-sent`));
    expect(tick.status).toBe(409);
    expect(tick.body.error.code).toBe('MESSAGE_NOT_QUEUED');
  });

  it('marks a message cut off between sending and marking as failed for the office, never sends it again', async () => {
    await useGateway({});
    const { unitId } = await unitWithResident({ phone: '081266660000' });
    const paymentId = await pay(unitId, 1000);
    const [row] = await messagesOf(paymentId);
    // As a crash leaves it: claimed and maybe sent, never marked.
    await knex()('messages').where({ id: row.id }).update({ status: 'sending', attempts: 1 });
    const before = fonnte.sent.length;
    await runAt(new Date());
    const [after] = await messagesOf(paymentId);
    expect(after.status).toBe('failed');
    expect(after.failure_reason).toContain('mungkin sudah terkirim');
    expect(fonnte.sent.length).toBe(before);
    await gatewayOff();
  });

  it('tells the resident who sent a transfer proof that it was rejected, with the reason', async () => {
    const { unitId, residentId } = await unitWithResident({ phone: '081233330000' }, { amount: 80_000, due_date: '2026-11-20' });
    const { client: resident } = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: residentId });
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001',
      'hex',
    );
    const sent = await resident.upload(
      e('/portal/transfer-proofs'),
      { amount: '80000', paid_at: '2026-11-06', reference: 'BCA 1' },
      {
        file: { filename: 'bukti.png', content: png, type: 'image/png' },
      },
    );
    expect(sent.status, sent.text).toBe(201);
    const rejected = await treasurer.post(e(`/transfer-proofs/${sent.body.id}/reject`), { reason: 'Foto <b>buram</b>' });
    expect(rejected.status, rejected.text).toBe(200);
    const rows = await messagesOf(sent.body.id);
    expect(rows.map((r) => [r.channel, r.template_key, r.unit_id])).toEqual([['wa_link', 'proof_rejected', unitId]]);
    expect(rows[0].body_text).toContain('alasan: Foto <b>buram</b>');
    expect(rows[0].body_text).toMatch(/Rp\s?80\.000/);
  });

  it('edits a template with a preview, refuses unknown variables, and uses it for new messages', async () => {
    const bad = await treasurer.put(e('/message-templates/payment_received'), { subject: 'Terima kasih', body: 'Halo {nama_lengkap}' });
    expect(bad.status).toBe(400);
    const preview = await treasurer.post(e('/message-templates/preview'), {
      key: 'payment_received',
      subject: 'Lunas {unit}',
      body: 'Terima kasih {nama} <b>{jumlah}</b>',
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.text).toBe('Terima kasih Budi Santoso <b>Rp 150.000</b>');
    expect(preview.body.html).toContain('&lt;b&gt;Rp 150.000&lt;/b&gt;');
    const saved = await treasurer.put(e('/message-templates/payment_received'), {
      subject: 'Lunas {unit}',
      body: 'Terima kasih {nama}, {jumlah} diterima.',
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.customised).toBe(true);
    const { unitId } = await unitWithResident({ name: 'Sari', phone: '081288880000' });
    const [row] = await messagesOf(await pay(unitId, 5000));
    expect(row.body_text).toMatch(/^Terima kasih Sari, Rp\s?5\.000 diterima\.$/);
    const reset = await treasurer.delete(e('/message-templates/payment_received'));
    expect(reset.body.customised).toBe(false);
  });
});
