// Announcements and the portal bell on SQLite and PostgreSQL (`pgUrl`): who is reached, when a scheduled one is
// published, read receipts and counts, what survives of hostile HTML, files and roles.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PDF = Buffer.from('%PDF-1.4\n%\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const XSS =
  '<p>Kerja bakti <strong>Minggu</strong><script>alert(1)</script></p><img src=x onerror="alert(2)">' +
  '<a href="javascript:alert(3)">klik</a><a href="https://griya.id/jadwal" onclick="alert(4)">jadwal</a>';

interface World {
  server: TestServer;
  admin: ApiClient;
  base: string;
  estateId: string;
  units: Record<string, string>;
  residents: Record<string, ApiClient>;
}

async function world(server: TestServer, existing?: ApiClient): Promise<World> {
  const { client: admin, estateId } = existing
    ? { client: existing, estateId: (await existing.post('/estates', { name: 'Perumahan Lain' })).body.id as string }
    : await setupEstate(server.url);
  const base = `/estates/${estateId}`;
  const units: Record<string, string> = {};
  for (const [code, block] of [
    ['A-1', 'A'],
    ['A-2', 'A'],
    ['B-1', 'B'],
  ]) {
    const res = await admin.post(`${base}/units`, { code, block, type: 'rumah', occupancy: 'occupied' });
    if (res.status !== 201) throw new Error(`unit ${res.status} ${res.text}`);
    units[code] = res.body.id;
  }
  const residents: Record<string, ApiClient> = {};
  for (const [key, unit, relation] of [
    ['ownerA1', 'A-1', 'owner'],
    ['tenantA2', 'A-2', 'tenant'],
    ['ownerB1', 'B-1', 'owner'],
  ] as const) {
    const r = await admin.post(`${base}/residents`, { name: `Warga ${key}`, unit_id: units[unit], relation });
    if (r.status !== 201) throw new Error(`resident ${r.status} ${r.text}`);
    residents[key] = (await userWithRole(server.url, admin, estateId, 'resident', { resident_id: r.body.id })).client;
  }
  return { server, admin, base, estateId, units, residents };
}

async function publish(w: World, input: Record<string, unknown>, publishAt: string | null = null) {
  const created = await w.admin.post(`${w.base}/announcements`, { title: 'Kerja bakti', body_html: '<p>Minggu pagi</p>', ...input });
  expect(created.status, created.text).toBe(201);
  const published = await w.admin.post(`${w.base}/announcements/${created.body.id}/publish`, { publish_at: publishAt });
  expect(published.status, published.text).toBe(200);
  return published.body as { id: string; status: string; body_html: string };
}

const titles = async (client: ApiClient, base: string) =>
  ((await client.get(`${base}/portal/announcements`)).body.items as { title: string }[]).map((i) => i.title);

describe.each(['sqlite', 'postgres'] as const)('announcements on %s', (backend) => {
  let pg: TestDatabase | undefined;
  let w: World;
  let other: World;

  beforeAll(async () => {
    pg = backend === 'postgres' ? await createTestDatabase(inject('pgUrl')) : undefined;
    const server = await startTestServer(pg ? { databaseUrl: pg.url } : {});
    w = await world(server);
    other = await world(server, w.admin);
  });
  afterAll(async () => {
    await w?.server.close();
    await pg?.drop();
  });

  it('reaches the targeted block only, with a bell notice, and counts reads per unit', async () => {
    const a = await publish(w, { title: 'Blok A saja', target_blocks: ['A'] });
    expect(await titles(w.residents.ownerA1, w.base)).toContain('Blok A saja');
    expect(await titles(w.residents.tenantA2, w.base)).toContain('Blok A saja');
    expect(await titles(w.residents.ownerB1, w.base)).not.toContain('Blok A saja');
    expect((await w.residents.ownerB1.get(`${w.base}/portal/announcements/${a.id}`)).status).toBe(404);

    const bell = await w.residents.ownerA1.get(`${w.base}/portal/notifications`);
    const notice = bell.body.items.find((n: { title: string }) => n.title === 'Blok A saja');
    expect(notice).toMatchObject({ kind: 'announcement', link: `/portal/announcements/${a.id}`, read_at: null });
    expect(bell.body.unread).toBeGreaterThanOrEqual(1);
    const before = bell.body.unread;
    expect(
      (await w.residents.ownerB1.get(`${w.base}/portal/notifications`)).body.items.map((n: { title: string }) => n.title),
    ).not.toContain('Blok A saja');

    let report = await w.admin.get(`${w.base}/announcements/${a.id}/delivery`);
    expect(report.body.recipients).toBe(2);
    expect(report.body.units.map((u: { code: string }) => u.code)).toEqual(['A-1', 'A-2']);
    expect(report.body.not_reached.map((u: { code: string }) => u.code)).toEqual(['A-1', 'A-2']);

    const read = await w.residents.ownerA1.post(`${w.base}/portal/announcements/${a.id}/read`);
    expect(read.status).toBe(200);
    // Reading twice is one receipt.
    await w.residents.ownerA1.post(`${w.base}/portal/announcements/${a.id}/read`);
    expect((await w.residents.ownerA1.get(`${w.base}/portal/notifications`)).body.unread).toBe(before - 1);

    report = await w.admin.get(`${w.base}/announcements/${a.id}/delivery`);
    // Each unit counted once, under where it is now: one read, the other delivered and not read yet.
    expect(report.body.channels).toEqual([
      { channel: 'portal', total: 2, queued: 0, sent: 0, delivered: 1, read: 1, failed: 0, cancelled: 0 },
    ]);
    expect(report.body.units.find((u: { code: string }) => u.code === 'A-1')).toMatchObject({ readers: 1 });
    expect(report.body.not_reached.map((u: { code: string }) => u.code)).toEqual(['A-2']);
    const list = await w.admin.get(`${w.base}/announcements`);
    expect(list.body.items.find((i: { id: string }) => i.id === a.id)).toMatchObject({ recipients: 2, read: 1 });
  });

  it('targets single units, and owners only hides it from tenants, bell included', async () => {
    await publish(w, { title: 'Untuk A-2 dan B-1', target_unit_ids: [w.units['A-2'], w.units['B-1']] });
    expect(await titles(w.residents.tenantA2, w.base)).toContain('Untuk A-2 dan B-1');
    expect(await titles(w.residents.ownerB1, w.base)).toContain('Untuk A-2 dan B-1');
    expect(await titles(w.residents.ownerA1, w.base)).not.toContain('Untuk A-2 dan B-1');

    const owners = await publish(w, { title: 'Rapat pemilik', owners_only: true });
    expect(await titles(w.residents.ownerA1, w.base)).toContain('Rapat pemilik');
    expect(await titles(w.residents.ownerB1, w.base)).toContain('Rapat pemilik');
    expect(await titles(w.residents.tenantA2, w.base)).not.toContain('Rapat pemilik');
    const tenantBell = (await w.residents.tenantA2.get(`${w.base}/portal/notifications`)).body.items.map((n: { title: string }) => n.title);
    expect(tenantBell).not.toContain('Rapat pemilik');
    // A-2 has no owner living there: it is not among the units reached.
    expect((await w.admin.get(`${w.base}/announcements/${owners.id}/delivery`)).body.units.map((u: { code: string }) => u.code)).toEqual([
      'A-1',
      'B-1',
    ]);
  });

  it('lists pinned first, then newest', async () => {
    const pinned = await publish(w, { title: 'Disematkan', pinned: true });
    await publish(w, { title: 'Paling baru' });
    const list = await titles(w.residents.ownerB1, w.base);
    expect(list[0]).toBe('Disematkan');
    expect(list[1]).toBe('Paling baru');
    await w.admin.post(`${w.base}/announcements/${pinned.id}/pin`, { pinned: false });
    expect((await titles(w.residents.ownerB1, w.base))[0]).toBe('Paling baru');
  });

  it('publishes a scheduled announcement by a durable job at its time, not before', async () => {
    const at = new Date(Date.now() + 2500).toISOString();
    const scheduled = await publish(w, { title: 'Terjadwal' }, at);
    expect(scheduled.status).toBe('scheduled');
    expect(await titles(w.residents.ownerA1, w.base)).not.toContain('Terjadwal');
    const job = await w.server.db.knex('jobs').where({ name: 'announcements.publish' }).orderBy('created_at', 'desc').first();
    expect(new Date(job.run_at).toISOString()).toBe(at);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(await titles(w.residents.ownerA1, w.base)).includes('Terjadwal'))
      await new Promise((r) => setTimeout(r, 300));
    expect(await titles(w.residents.ownerA1, w.base)).toContain('Terjadwal');
    const office = await w.admin.get(`${w.base}/announcements/${scheduled.id}`);
    expect(office.body.status).toBe('published');
    expect(new Date(office.body.published_at).getTime()).toBeGreaterThanOrEqual(new Date(at).getTime());
    expect((await w.admin.post(`${w.base}/announcements/${scheduled.id}/publish`, { publish_at: null })).body.error.code).toBe(
      'ALREADY_PUBLISHED',
    );
    const past = await w.admin.post(`${w.base}/announcements`, { title: 'Lalu', body_html: '<p>x</p>' });
    const refused = await w.admin.post(`${w.base}/announcements/${past.body.id}/publish`, { publish_at: '2020-01-01T08:00:00+07:00' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('PUBLISH_AT_PAST');
  });

  it('strips script, event handlers and javascript: links from what is stored and what the portal gets', async () => {
    const a = await publish(w, { title: 'XSS', body_html: XSS });
    const stored = await w.server.db.knex('announcements').where({ id: a.id }).first();
    const portal = await w.residents.ownerA1.get(`${w.base}/portal/announcements/${a.id}`);
    for (const html of [stored.body_html as string, portal.body.body_html as string, a.body_html]) {
      expect(html).not.toMatch(/<script|alert\(1\)|onerror|onclick|javascript:|<img/i);
      expect(html).toContain('<strong>Minggu</strong>');
      expect(html).toContain('<a href="https://griya.id/jadwal" rel="noopener noreferrer nofollow" target="_blank">jadwal</a>');
    }
    // Nothing left but markup is not an announcement.
    const empty = await w.admin.post(`${w.base}/announcements`, { title: 'Kosong', body_html: '<script>alert(1)</script>' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('ANNOUNCEMENT_EMPTY');
  });

  it('takes pictures and PDFs by their content, up to 5 MB, before publishing, and shows them to its readers only', async () => {
    const draft = await w.admin.post(`${w.base}/announcements`, { title: 'Peta', body_html: '<p>Lihat peta</p>', target_blocks: ['A'] });
    const url = `${w.base}/announcements/${draft.body.id}/attachments`;
    const png = await w.admin.upload(url, {}, { file: { filename: 'peta.png', content: PNG, type: 'image/png' } });
    expect(png.status, png.text).toBe(201);
    expect(png.body).toMatchObject({ mime: 'image/png', filename: 'peta.png' });
    expect((await w.admin.upload(url, {}, { file: { filename: 'surat.pdf', content: PDF, type: 'application/pdf' } })).status).toBe(201);
    const html = await w.admin.upload(
      url,
      {},
      { file: { filename: 'x.png', content: Buffer.from('<script>alert(1)</script>'), type: 'image/png' } },
    );
    expect(html.status).toBe(400);
    expect(html.body.error.code).toBe('UNSUPPORTED_FILE_TYPE');
    const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await w.admin.upload(url, {}, { file: { filename: 'besar.pdf', content: big, type: 'application/pdf' } });
    expect(tooBig.status).toBe(413);
    await w.admin.post(`${w.base}/announcements/${draft.body.id}/publish`, { publish_at: null });
    const late = await w.admin.upload(url, {}, { file: { filename: 'telat.pdf', content: PDF, type: 'application/pdf' } });
    expect(late.status).toBe(409);

    const detail = await w.residents.ownerA1.get(`${w.base}/portal/announcements/${draft.body.id}`);
    expect(detail.body.attachments.map((f: { filename: string }) => f.filename)).toEqual(['peta.png', 'surat.pdf']);
    const file = await w.residents.ownerA1.get(`${w.base}/portal/announcements/${draft.body.id}/attachments/${png.body.id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect((await w.residents.ownerB1.get(`${w.base}/portal/announcements/${draft.body.id}/attachments/${png.body.id}`)).status).toBe(404);
  });

  it('lets the office publish and the guard and residents not; another estate gets 404', async () => {
    const treasurer = await userWithRole(w.server.url, w.admin, w.estateId, 'treasurer');
    const staff = await userWithRole(w.server.url, w.admin, w.estateId, 'staff');
    const guard = await userWithRole(w.server.url, w.admin, w.estateId, 'guard');
    const body = { title: 'Dari kantor', body_html: '<p>Halo</p>' };
    expect((await treasurer.client.post(`${w.base}/announcements`, body)).status).toBe(201);
    expect((await staff.client.post(`${w.base}/announcements`, body)).status).toBe(201);
    expect((await guard.client.post(`${w.base}/announcements`, body)).status).toBe(403);
    expect((await w.residents.ownerA1.post(`${w.base}/announcements`, body)).status).toBe(403);
    expect((await w.residents.ownerA1.get(`${w.base}/announcements`)).status).toBe(403);

    const mine = await publish(w, { title: 'Milik estate ini' });
    expect((await other.admin.get(`/estates/${other.estateId}/announcements/${mine.id}`)).status).toBe(404);
    expect((await other.admin.get(`/estates/${other.estateId}/announcements/${mine.id}/delivery`)).status).toBe(404);
    expect((await other.admin.post(`/estates/${other.estateId}/announcements/${mine.id}/publish`, { publish_at: null })).status).toBe(404);
    expect((await other.residents.ownerA1.get(`/estates/${other.estateId}/portal/announcements/${mine.id}`)).status).toBe(404);
    // Targeting another estate's unit does not confirm it exists.
    const foreign = await w.admin.post(`${w.base}/announcements`, { ...body, target_unit_ids: [other.units['A-1']] });
    expect(foreign.status).toBe(404);
    const unknownBlock = await w.admin.post(`${w.base}/announcements`, { ...body, target_blocks: ['Z'] });
    expect(unknownBlock.body.error.code).toBe('UNKNOWN_BLOCK');
  });

  it('queues WhatsApp through the messages outbox once per resident, as plain text, and counts it in the report', async () => {
    const citra = await w.admin.post(`${w.base}/residents`, {
      name: 'Citra',
      unit_id: w.units['B-1'],
      relation: 'family',
      phone: '0812-3456-7890',
    });
    expect(citra.status, citra.text).toBe(201);
    const a = await publish(w, { title: 'Lewat WhatsApp', body_html: XSS, target_blocks: ['B'], channels: ['portal', 'whatsapp'] });
    const messages = await w.server.db.knex('messages').where({ cause_kind: 'announcement', cause_id: a.id });
    expect(messages.map((m: { resident_id: string }) => m.resident_id)).toEqual([citra.body.id]);
    expect(messages[0]).toMatchObject({ template_key: 'announcement', channel: 'wa_link', status: 'queued' });
    expect(messages[0].body_text).toContain('Lewat WhatsApp');
    expect(messages[0].body_text).not.toMatch(/<|alert\(1\)|javascript:/);
    const report = await w.admin.get(`${w.base}/announcements/${a.id}/delivery`);
    expect(report.body.channels).toEqual([
      { channel: 'portal', total: 1, queued: 0, sent: 0, delivered: 1, read: 0, failed: 0, cancelled: 0 },
      { channel: 'whatsapp', total: 1, queued: 1, sent: 0, delivered: 0, read: 0, failed: 0, cancelled: 0 },
    ]);
  });

  it('marks one or all notices read, only the own units', async () => {
    await publish(w, { title: 'Satu lagi', target_blocks: ['B'] });
    const bell = await w.residents.ownerB1.get(`${w.base}/portal/notifications?unread=true`);
    expect(bell.body.unread).toBeGreaterThanOrEqual(1);
    const first = bell.body.items[0];
    expect((await w.residents.ownerA1.post(`${w.base}/portal/notifications/${first.id}/read`)).status).toBe(404);
    expect((await w.residents.ownerB1.post(`${w.base}/portal/notifications/${first.id}/read`)).body.marked).toBe(1);
    expect((await w.residents.ownerB1.get(`${w.base}/portal/notifications`)).body.unread).toBe(bell.body.unread - 1);
    await w.residents.ownerB1.post(`${w.base}/portal/notifications/read-all`);
    expect((await w.residents.ownerB1.get(`${w.base}/portal/notifications`)).body.unread).toBe(0);
    expect((await w.residents.ownerA1.get(`${w.base}/portal/notifications`)).body.unread).toBeGreaterThan(0);
  });
});
