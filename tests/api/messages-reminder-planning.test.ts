import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addDaysToDate, estateToday } from '../../server/calendar/calendar.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { enqueueMessages } from '../../server/messages/message-batch.ts';
import { enqueueMessage } from '../../server/messages/message-service.ts';
import { planRemindersJob, queueDailyReminders } from '../../server/messages/reminders.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { ApiClient, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.ts';

/**
 * The day's reminders planned in groups of units, each group its own transaction (server/messages/README.md): the
 * batched path writes what `enqueueMessage` writes for the same cause, a run cut off midway and run again ends with
 * each reminder once, and two servers planning the same day at once (two processes) write each reminder once, with
 * nothing failing. On SQLite and PostgreSQL.
 */
describe.each(['sqlite', 'postgres'] as const)('reminder planning in groups on %s', (backendName) => {
  let server: TestServer;
  let database: TestDatabase | undefined;
  /** The database's owner, for the trigger that cuts a run off (the served role may not create one). */
  let owner: Knex;
  let admin: ApiClient;
  let estateId: string;
  let today: string;
  let inbox: SmtpInbox;
  let unitNo = 0;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const knex = () => server.db.knex;
  const storeOf = (s: TestServer) => new ScopedStore(s.db.knex, estateId, SYSTEM_ACTOR, s.app.sync);

  async function unitOwing(resident: Record<string, unknown>, dueDate: string) {
    const code = `P-${++unitNo}`;
    const unit = (await admin.post(e('/units'), { code, type: 'rumah', occupancy: 'occupied' })).body;
    const res = await admin.post(e('/residents'), { name: `Warga ${code}`, unit_id: unit.id, relation: 'owner', ...resident });
    expect(res.status, res.text).toBe(201);
    const charged = await admin.post(e('/charges'), {
      name: 'Iuran',
      period: dueDate.slice(0, 7),
      unit_ids: [unit.id],
      amount: 150_000,
      due_date: dueDate,
    });
    expect(charged.status, charged.text).toBe(201);
    return { unitId: unit.id as string, residentId: res.body.id as string };
  }

  /** The reminders planned for `dueDate`'s invoices, one line per cause, resident and channel. */
  const remindersFor = async (kind: string) =>
    (await knex()('messages')
      .where({ estate_id: estateId, cause_kind: kind })
      .select('id', 'cause_id', 'resident_id', 'channel', 'unit_id')) as {
      id: string;
      cause_id: string;
      resident_id: string;
      channel: string;
      unit_id: string;
    }[];
  const identities = (rows: { cause_id: string; resident_id: string; channel: string }[]) =>
    rows.map((r) => `${r.cause_id}|${r.resident_id}|${r.channel}`).sort();

  /** Each message once, each with one audit row and (for the gateway and email) one sending job. */
  async function expectJournaledOnce(rows: { id: string; channel: string }[]) {
    const ids = rows.map((r) => r.id);
    const audits = await knex()('audit_log')
      .where({ entity_table: 'messages', action: 'messages.enqueue' })
      .whereIn('entity_id', ids)
      .select('entity_id');
    expect(audits.map((a) => a.entity_id).sort()).toEqual([...ids].sort());
    const jobs = await knex()('jobs')
      .where({ name: 'messages.send' })
      .whereIn(
        'dedupe_key',
        ids.map((id) => `message:${id}:0`),
      )
      .select('dedupe_key');
    expect(jobs).toHaveLength(rows.filter((r) => r.channel === 'wa_gateway' || r.channel === 'email').length);
  }

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    if (backendName === 'postgres') {
      database = await createTestDatabase(inject('pgUrl'));
      server = await startTestServer({ databaseUrl: database.url, backgroundJobs: false });
    } else {
      // With KLUSTERA_TEST_BACKEND=postgres this one runs on PostgreSQL too.
      server = await startTestServer({ backgroundJobs: false });
    }
    owner = server.databaseUrl ? knexFactory({ client: 'pg', connection: server.databaseUrl, pool: { min: 0, max: 1 } }) : server.db.knex;
    ({ client: admin, estateId } = await setupEstate(server.url));
    today = estateToday((await knex()('estates').where({ id: estateId }).first('timezone')).timezone);
    const gateway = await admin.put(e('/settings/message-channels/wa-gateway'), {
      enabled: true,
      provider: 'fonnte',
      // Nothing is sent here: planning is what is tested.
      base_url: 'http://127.0.0.1:9/send',
      token: 'planning-token',
      quiet_from: null,
      quiet_to: null,
      per_minute: 100,
      per_day: 1000,
      min_gap_s: 0,
      max_gap_s: 0,
    });
    expect(gateway.status, gateway.text).toBe(200);
    const email = await admin.put(e('/settings/message-channels/email'), {
      enabled: true,
      host: '127.0.0.1',
      port: inbox.port,
      secure: false,
      user: null,
      from_address: 'pengurus@griya-asri.id',
      from_name: 'Pengurus Griya Asri',
      password: 'smtp-rahasia-123',
    });
    expect(email.status, email.text).toBe(200);
  }, 120_000);

  afterAll(async () => {
    if (owner && owner !== server?.db.knex) await owner.destroy();
    await server?.close();
    await database?.drop();
    await inbox?.close();
  });

  it('writes for many causes at once exactly what enqueueMessage writes for each', async () => {
    const due = addDaysToDate(today, 20);
    const plain = await unitOwing({ phone: '081230000001', email: 'satu@contoh.id' }, due);
    const opted = await unitOwing({ phone: '081230000002' }, due);
    const portal = await unitOwing({ phone: '081230000003' }, due);
    const noPhone = await unitOwing({ email: 'empat@contoh.id' }, due);
    const chosen = await unitOwing({ phone: '081230000005', email: 'lima@contoh.id' }, due);
    const second = await admin.post(e('/residents'), {
      name: 'Anak P-5',
      unit_id: chosen.unitId,
      relation: 'family',
      phone: '081230000006',
    });
    expect(second.status, second.text).toBe(201);
    const put = (residentId: string, body: unknown) => admin.put(e(`/residents/${residentId}/message-preferences`), body);
    expect((await put(opted.residentId, { channels: null, opted_out: true })).status).toBe(200);
    expect((await put(portal.residentId, { channels: ['portal'], opted_out: false })).status).toBe(200);
    expect((await put(chosen.residentId, { channels: ['wa_gateway', 'portal', 'webpush'], opted_out: false })).status).toBe(200);

    const units = [plain, opted, portal, noPhone, chosen].map((u) => u.unitId);
    const vars = { jumlah: 'Rp150.000', periode: 'November 2026', jatuh_tempo: '1 Desember 2026', link_bayar: 'x' };
    const store = storeOf(server);
    for (const unitId of units) {
      await enqueueMessage(store, { template: 'reminder_h3', cause: { kind: 'compare_single', id: unitId }, unitId, vars });
    }
    const batch = await store.transaction((tx) =>
      enqueueMessages(
        tx,
        units.map((unitId) => ({ template: 'reminder_h3' as const, cause: { kind: 'compare_batch', id: unitId }, unitId, vars })),
      ),
    );
    const shape = async (kind: string) =>
      (await knex()('messages').where({ estate_id: estateId, cause_kind: kind }).orderBy(['cause_id', 'resident_id', 'channel'])).map(
        ({ id, cause_kind, created_at, updated_at, sent_at, ...rest }) => ({ ...rest, sent: sent_at !== null }),
      );
    const single = await shape('compare_single');
    expect(single.length).toBeGreaterThan(4);
    expect(await shape('compare_batch')).toEqual(single);
    expect(batch).toHaveLength(single.length);
    // Who got what: nothing for the resident who opted out, the portal only where chosen, email where switched on.
    expect(single.map((m) => m.channel).sort()).toEqual(['email', 'email', 'portal', 'portal', 'wa_gateway', 'wa_gateway', 'wa_gateway']);
    await expectJournaledOnce(await knex()('messages').where({ estate_id: estateId, cause_kind: 'compare_batch' }).select('id', 'channel'));

    // Enqueued again: nothing new.
    expect(
      await store.transaction((tx) =>
        enqueueMessages(
          tx,
          units.map((unitId) => ({ template: 'reminder_h3' as const, cause: { kind: 'compare_batch', id: unitId }, unitId, vars })),
        ),
      ),
    ).toEqual([]);
  });

  it('a run cut off in its second group, run again, queues every reminder exactly once', async () => {
    const due = addDaysToDate(today, 1);
    const owing = [];
    for (let i = 0; i < 7; i++) owing.push(await unitOwing({ phone: `08124000000${i}` }, due));
    const sorted = owing.map((u) => u.unitId).sort();
    const failing = sorted[3];
    if (server.databaseUrl) {
      await owner.raw(
        `create function cut_planning_off() returns trigger language plpgsql as $$ begin ` +
          `if new.unit_id = '${failing}' then raise exception 'planning cut off'; end if; return new; end $$`,
      );
      await owner.raw('create trigger cut_planning_off before insert on messages for each row execute function cut_planning_off()');
    } else {
      await owner.raw(
        `create trigger cut_planning_off before insert on messages when new.unit_id = '${failing}' ` +
          `begin select raise(abort, 'planning cut off'); end`,
      );
    }
    const store = storeOf(server);
    try {
      await expect(queueDailyReminders(store, today, 2)).rejects.toThrow(/planning cut off/);
    } finally {
      await owner.raw('drop trigger cut_planning_off' + (server.databaseUrl ? ' on messages' : ''));
      if (server.databaseUrl) await owner.raw('drop function cut_planning_off()');
    }
    // The first group (two units) committed; the second rolled back as a whole; nothing after it ran.
    const cut = (await remindersFor('reminder_h1')).filter((m) => sorted.includes(m.unit_id));
    expect(cut.map((m) => m.unit_id).sort()).toEqual(sorted.slice(0, 2));

    const again = await queueDailyReminders(store, today, 2);
    const after = (await remindersFor('reminder_h1')).filter((m) => sorted.includes(m.unit_id));
    expect(after.map((m) => m.unit_id).sort()).toEqual(sorted);
    expect(new Set(identities(after)).size).toBe(after.length);
    expect(again).toBe(5);
    await expectJournaledOnce(after);
    expect(await queueDailyReminders(store, today, 2)).toBe(0);
    // The daily job runs it outside the runner's transaction, else the groups would commit as one again.
    expect(planRemindersJob.transactional).toBe(false);
  });

  it('two servers planning the same day at once queue each reminder once, and neither fails', async () => {
    const due = addDaysToDate(today, 3);
    const owing = [];
    for (let i = 0; i < 9; i++) owing.push(await unitOwing({ phone: `08125000000${i}`, email: `w${i}@contoh.id` }, due));
    // On PostgreSQL a second server on the same database, as a second process would be; SQLite has one writer per file.
    const other = server.databaseUrl ? await startTestServer({ databaseUrl: server.databaseUrl, backgroundJobs: false }) : server;
    try {
      const runs = await Promise.all([
        queueDailyReminders(storeOf(server), today, 2),
        queueDailyReminders(storeOf(other), today, 3),
        queueDailyReminders(storeOf(other), today, 4),
      ]);
      const units = new Set(owing.map((u) => u.unitId));
      const rows = (await remindersFor('reminder_h3')).filter((m) => units.has(m.unit_id));
      // Nine units, each resident on WhatsApp and email.
      expect(rows).toHaveLength(18);
      expect(new Set(identities(rows)).size).toBe(18);
      expect(runs.reduce((a, b) => a + b, 0)).toBe(18);
      await expectJournaledOnce(rows);
    } finally {
      if (other !== server) await other.close();
    }
  });

  // Last: on the estate's first of a month the runs above would plan these units' digests too.
  it('on the first of a month plans one overdue digest per unit owing, in groups, once', async () => {
    const owing = [];
    for (let i = 0; i < 5; i++) {
      const u = await unitOwing({ phone: `08126000000${i}` }, '2026-09-10');
      const more = await admin.post(e('/charges'), {
        name: 'Iuran',
        period: '2026-10',
        unit_ids: [u.unitId],
        amount: 50_000,
        due_date: '2026-10-10',
      });
      expect(more.status, more.text).toBe(201);
      owing.push(u);
    }
    const store = storeOf(server);
    await queueDailyReminders(store, '2030-01-01', 2);
    const units = new Set(owing.map((u) => u.unitId));
    const digests = (await knex()('messages').where({ estate_id: estateId, cause_kind: 'overdue_digest' })).filter((m) =>
      units.has(m.unit_id),
    );
    expect(digests).toHaveLength(5);
    expect(digests.map((m) => m.cause_id).sort()).toEqual([...units].map((id) => `${id}:2030-01`).sort());
    for (const m of digests) {
      // Both invoices in one digest: their sum and their periods.
      expect(m.body_text).toMatch(/Rp\s200\.000 \(/);
      expect(m.body_text).toContain('September 2026');
      expect(m.body_text).toContain('Oktober 2026');
    }
    await expectJournaledOnce(digests);
    const before = (await knex()('messages').where({ estate_id: estateId, cause_kind: 'overdue_digest' })).length;
    await queueDailyReminders(store, '2030-01-01', 3);
    expect((await knex()('messages').where({ estate_id: estateId, cause_kind: 'overdue_digest' })).length).toBe(before);
  });
});
