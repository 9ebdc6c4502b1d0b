// The guard post around the scan: kiosk pairing, shifts with PINs, walk-ins and host notifications, who is inside,
// overstays, expected guests, guest slips on a network printer, and the access log with its exports.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos, startEscPosListener, type EscPosListener } from '../support/escpos-listener.ts';
import { readQrFromRaster } from '../support/raster-qr.ts';
import { localDateAt } from '../../server/calendar/calendar.ts';
import { apiClient } from '../support/server.ts';
import { addUnit, gatePostWorld, GUARD_PIN, hoursFromNow, residentOf, type GatePostWorld } from './gate-post-fixture.ts';

let w: GatePostWorld;
let printer: EscPosListener;

beforeAll(async () => {
  w = await gatePostWorld();
  printer = await startEscPosListener();
});
afterAll(async () => {
  await w?.server.close();
  await printer?.close();
});

describe('kiosk pairing', () => {
  it('exchanges a pairing code once for a bearer token; revoking the device cuts the token off', async () => {
    const created = await w.admin.post(`${w.base}/devices`, { name: 'Tablet pos 2', kind: 'kiosk' });
    expect(created.status).toBe(201);
    expect(created.body.pairing_code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(created.body.device.status).toBe('waiting');
    const anonymous = apiClient(w.server.url);
    const paired = await anonymous.post(`${w.base}/devices/pair`, {
      pairing_code: created.body.pairing_code.toLowerCase().replace('-', ' '),
    });
    expect(paired.status, paired.text).toBe(200);
    expect(typeof paired.body.token).toBe('string');
    const again = await anonymous.post(`${w.base}/devices/pair`, { pairing_code: created.body.pairing_code });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('PAIRING_CODE_INVALID');

    const kiosk = apiClient(w.server.url).withBearer(paired.body.token);
    expect((await kiosk.get(`${w.base}/gates`)).status).toBe(200);
    // A kiosk is a guard device: no office data.
    expect((await kiosk.get(`${w.base}/units`)).status).toBe(403);
    expect((await kiosk.post(`${w.base}/devices`, { name: 'x', kind: 'kiosk' })).status).toBe(403);

    const devices = await w.admin.get(`${w.base}/devices`);
    expect(devices.body.items.find((d: { id: string }) => d.id === created.body.device.id).status).toBe('paired');
    expect((await w.admin.post(`${w.base}/devices/${created.body.device.id}/revoke`)).body.status).toBe('revoked');
    expect((await kiosk.get(`${w.base}/gates`)).status).toBe(401);
  });
});

describe('guard shifts', () => {
  it('starts a shift only with the right PIN and locks the device out after repeated wrong PINs', async () => {
    const created = await w.admin.post(`${w.base}/devices`, { name: 'Tablet PIN', kind: 'kiosk' });
    const paired = await apiClient(w.server.url).post(`${w.base}/devices/pair`, { pairing_code: created.body.pairing_code });
    const kiosk = apiClient(w.server.url).withBearer(paired.body.token);
    expect((await kiosk.get(`${w.base}/gate/shifts/current`)).body.shift).toBeNull();
    const guards = await kiosk.get(`${w.base}/gate/guards`);
    expect(guards.body.items).toEqual([{ id: w.guardId, name: 'Pak Joko' }]);

    const ok = await kiosk.post(`${w.base}/gate/shifts`, { gate_id: w.gateId, guard_id: w.guardId, pin: GUARD_PIN });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ gate: { name: 'Gerbang Utama' }, guard: { name: 'Pak Joko' } });
    expect((await kiosk.get(`${w.base}/gate/shifts/current`)).body.shift.id).toBe(ok.body.id);
    await kiosk.post(`${w.base}/gate/shifts/current/end`);
    expect((await kiosk.get(`${w.base}/gate/shifts/current`)).body.shift).toBeNull();

    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push((await kiosk.post(`${w.base}/gate/shifts`, { gate_id: w.gateId, guard_id: w.guardId, pin: '000000' })).body.error.code);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('PIN_INCORRECT'));
    expect(codes[5]).toBe('ACCOUNT_LOCKED');
    const locked = await kiosk.post(`${w.base}/gate/shifts`, { gate_id: w.gateId, guard_id: w.guardId, pin: GUARD_PIN });
    expect(locked.status).toBe(429);
    // Only a paired device starts shifts; a person's session cannot.
    expect((await w.admin.post(`${w.base}/gate/shifts`, { gate_id: w.gateId, guard_id: w.guardId, pin: GUARD_PIN })).status).toBe(401);
  });
});

describe('walk-ins, who is inside, overstays, expected guests', () => {
  it('records a walk-in, notifies the host unit in the portal, and checks the guest out', async () => {
    const host = await residentOf(w, w.unitId, 'Pak Hendra');
    const res = await w.kiosk.post(`${w.base}/gate/walk-ins`, {
      name: 'Agus Kurir',
      phone: '0812-9999-8888',
      unit_id: w.unitId,
      purpose: 'Antar paket',
      plate: 'b 4321 zz',
      id_card_left: true,
      people: 1,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.visit).toMatchObject({
      kind: 'walk_in',
      name: 'Agus Kurir',
      unit_code: 'A-12',
      plate: 'B 4321 ZZ',
      id_card_left: true,
      overstay: false,
    });
    expect(res.body.slip).toBe('no_printer');

    const notes = await host.client.get(`${w.base}/portal/gate-notifications`);
    expect(notes.body.unread).toBeGreaterThanOrEqual(1);
    const note = notes.body.items.find((n: { visit_id: string }) => n.visit_id === res.body.visit.id);
    expect(note).toMatchObject({ kind: 'walk_in', guest_name: 'Agus Kurir', purpose: 'Antar paket', gate_name: 'Gerbang Utama' });
    expect((await host.client.post(`${w.base}/portal/gate-notifications/${note.id}/read`)).status).toBe(200);

    const inside = await w.kiosk.get(`${w.base}/gate/inside`);
    expect(inside.body.items.map((v: { id: string }) => v.id)).toContain(res.body.visit.id);
    const out = await w.kiosk.post(`${w.base}/gate/visits/${res.body.visit.id}/checkout`, {});
    expect(out.status).toBe(200);
    expect(out.body.visit.exited_at).toBeTruthy();
    expect((await w.kiosk.post(`${w.base}/gate/visits/${res.body.visit.id}/checkout`, {})).body.error.code).toBe('ALREADY_CHECKED_OUT');
    expect((await w.kiosk.get(`${w.base}/gate/inside`)).body.items.map((v: { id: string }) => v.id)).not.toContain(res.body.visit.id);
  });

  it("does not show one unit's walk-ins to another unit", async () => {
    const otherUnit = await addUnit(w.admin, w.estateId, 'E-01');
    const neighbour = await residentOf(w, otherUnit, 'Bu Ani');
    await w.kiosk.post(`${w.base}/gate/walk-ins`, { name: 'Tamu A-12', unit_id: w.unitId });
    const notes = await neighbour.client.get(`${w.base}/portal/gate-notifications`);
    expect(notes.body.items).toEqual([]);
    const visits = await neighbour.client.get(`${w.base}/portal/visits`);
    expect(visits.body.items).toEqual([]);
    expect(visits.body.inside).toEqual([]);
  });

  it('rejects a walk-in to an unknown unit and bad fields without writing', async () => {
    const before = (await w.admin.get(`${w.base}/access-log?limit=1`)).body.total;
    expect((await w.kiosk.post(`${w.base}/gate/walk-ins`, { name: 'X', unit_id: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' })).status).toBe(
      409,
    );
    expect((await w.kiosk.post(`${w.base}/gate/walk-ins`, { name: '', unit_id: w.unitId })).status).toBe(400);
    expect((await w.kiosk.post(`${w.base}/gate/walk-ins`, { name: 'X', unit_id: w.unitId, people: -1 })).status).toBe(400);
    expect((await w.admin.get(`${w.base}/access-log?limit=1`)).body.total).toBe(before);
  });

  it('lists a guest still inside after the window as an overstay', async () => {
    const pass = await w.admin.post(`${w.base}/passes`, {
      kind: 'guest',
      unit_id: w.unitId,
      name: 'Tamu Lama',
      valid_from: hoursFromNow(-3),
      valid_until: hoursFromNow(1),
    });
    const scan = await w.kiosk.post(`${w.base}/gate/scan`, { payload: pass.body.qr_payload });
    expect(scan.body.verdict).toBe('accepted');
    expect((await w.kiosk.get(`${w.base}/gate/overstays`)).body.items.map((v: { id: string }) => v.id)).not.toContain(scan.body.visit_id);
    // The window closes while the guest is inside.
    await w.server.db
      .knex('gate_visits')
      .where({ id: scan.body.visit_id })
      .update({ expected_until: hoursFromNow(-0.1) });
    const overstays = await w.admin.get(`${w.base}/gate/overstays`);
    expect(overstays.body.items.find((v: { id: string }) => v.id === scan.body.visit_id)).toMatchObject({
      name: 'Tamu Lama',
      overstay: true,
    });
  });

  it("lists today's expected guests until they arrive", async () => {
    const pass = await w.admin.post(`${w.base}/passes`, {
      kind: 'guest',
      unit_id: w.unitId,
      name: 'Tamu Nanti',
      valid_from: hoursFromNow(0),
      valid_until: hoursFromNow(2),
    });
    const tomorrow = await w.admin.post(`${w.base}/passes`, {
      kind: 'guest',
      unit_id: w.unitId,
      name: 'Tamu Lusa',
      valid_from: hoursFromNow(50),
      valid_until: hoursFromNow(52),
    });
    let expected = (await w.kiosk.get(`${w.base}/gate/expected`)).body.items.map((p: { id: string }) => p.id);
    expect(expected).toContain(pass.body.id);
    expect(expected).not.toContain(tomorrow.body.id);
    await w.kiosk.post(`${w.base}/gate/scan`, { payload: pass.body.qr_payload });
    expected = (await w.kiosk.get(`${w.base}/gate/expected`)).body.items.map((p: { id: string }) => p.id);
    expect(expected).not.toContain(pass.body.id);
  });
});

describe('guest slips', () => {
  it('prints a slip with estate, guest, unit and a check-out QR when a guest enters; the slip QR checks them out once', async () => {
    const gate = await w.admin.post(`${w.base}/gates`, {
      name: 'Gerbang Printer',
      printer: { connection: 'network', host: printer.host, port: printer.port, paper_width: 58 },
    });
    expect(gate.status, gate.text).toBe(201);
    const pass = await w.admin.post(`${w.base}/passes`, { kind: 'guest', unit_id: w.unitId, name: 'Larasati Putri', purpose: 'Rapat RT' });
    const scan = await w.admin.post(`${w.base}/gate/scan`, { payload: pass.body.qr_payload, gate_id: gate.body.id });
    expect(scan.body).toMatchObject({ verdict: 'accepted', slip: 'queued' });
    const job = decodeEscPos(await printer.nextJob());
    const text = job.lines.join('\n');
    expect(text).toContain('Perumahan Griya Asri');
    expect(text).toContain('Larasati Putri');
    expect(text).toContain('A-12');
    expect(text).toContain('Gerbang Printer');
    expect(job.cuts).toBe(1);
    const slipPayload = readQrFromRaster(job.images[0]);
    expect(slipPayload).toMatch(/^KL1\./);

    const exit = await w.admin.post(`${w.base}/gate/scan`, { payload: slipPayload, gate_id: gate.body.id, direction: 'out' });
    expect(exit.body).toMatchObject({
      verdict: 'accepted',
      direction: 'out',
      visit_id: scan.body.visit_id,
      pass: { name: 'Larasati Putri' },
    });
    const again = await w.admin.post(`${w.base}/gate/scan`, { payload: slipPayload, gate_id: gate.body.id, direction: 'out' });
    expect(again.body).toMatchObject({ verdict: 'rejected', reason: 'used_up' });

    const reprint = await w.admin.post(`${w.base}/gate/visits/${scan.body.visit_id}/slip`, { gate_id: gate.body.id });
    expect(reprint.body.printed).toBe(true);
    expect(decodeEscPos(await printer.nextJob()).lines.join('\n')).toContain('Larasati Putri');
  });

  it('says PRINTER_NOT_CONFIGURED or PRINTER_UNAVAILABLE instead of failing', async () => {
    const walkIn = await w.kiosk.post(`${w.base}/gate/walk-ins`, { name: 'Tamu', unit_id: w.unitId });
    const none = await w.kiosk.post(`${w.base}/gate/visits/${walkIn.body.visit.id}/slip`, {});
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('PRINTER_NOT_CONFIGURED');
    const closed = await startEscPosListener();
    const port = closed.port;
    await closed.close();
    const dead = await w.admin.post(`${w.base}/gates`, {
      name: 'Gerbang Mati',
      printer: { connection: 'network', host: '127.0.0.1', port, timeout_ms: 1000 },
    });
    const res = await w.admin.post(`${w.base}/gate/visits/${walkIn.body.visit.id}/slip`, { gate_id: dead.body.id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PRINTER_UNAVAILABLE');
  });
});

describe('access log', () => {
  it('filters by verdict, unit, plate and date, and residents see only their own unit', async () => {
    const unitB = await addUnit(w.admin, w.estateId, 'B-02');
    // The unit code as the units service stores it (it normalises what was typed).
    const codeB = (await w.admin.get(`${w.base}/units/${unitB}`)).body.code;
    const hostB = await residentOf(w, unitB, 'Pak Bambang');
    const passB = await w.admin.post(`${w.base}/passes`, { kind: 'guest', unit_id: unitB, name: 'Tamu B', plate: 'F 777 GH' });
    await w.kiosk.post(`${w.base}/gate/scan`, { payload: passB.body.qr_payload });
    await w.kiosk.post(`${w.base}/gate/scan`, { payload: passB.body.qr_payload });

    const byUnit = await w.admin.get(`${w.base}/access-log?unit_id=${unitB}`);
    expect(byUnit.body.total).toBe(2);
    expect(byUnit.body.items.map((r: { unit_code: string }) => r.unit_code)).toEqual([codeB, codeB]);
    expect((await w.admin.get(`${w.base}/access-log?plate=f%20777%20gh`)).body.total).toBe(2);
    const rejected = await w.admin.get(`${w.base}/access-log?unit_id=${unitB}&verdict=rejected`);
    expect(rejected.body.items.map((r: { reason: string }) => r.reason)).toEqual(['already_inside']);
    // "Today" is the estate's calendar day (Asia/Jakarta), not UTC's.
    const today = localDateAt(Date.now(), (await w.admin.get(`/estates/${w.estateId}`)).body.timezone);
    expect((await w.admin.get(`${w.base}/access-log?unit_id=${unitB}&from=${today}&to=${today}`)).body.total).toBe(2);
    expect((await w.admin.get(`${w.base}/access-log?unit_id=${unitB}&from=2020-01-01&to=2020-01-31`)).body.total).toBe(0);
    expect((await w.admin.get(`${w.base}/access-log?from=yesterday`)).status).toBe(400);
    expect((await w.admin.get(`${w.base}/access-log?format=docx`)).status).toBe(400);

    const own = await hostB.client.get(`${w.base}/portal/visits`);
    expect(own.body.total).toBe(2);
    expect(own.body.items.every((r: { unit_id: string }) => r.unit_id === unitB)).toBe(true);
    // The portal ignores a unit_id that is not the resident's.
    const sneaky = await hostB.client.get(`${w.base}/portal/visits?unit_id=${w.unitId}`);
    expect(sneaky.body.items.every((r: { unit_id: string }) => r.unit_id === unitB)).toBe(true);
    expect((await hostB.client.get(`${w.base}/access-log`)).status).toBe(403);
  });

  it('exports the filtered log as .xlsx and PDF', async () => {
    const xlsx = await fetch(`${w.server.url}/api/v1${w.base}/access-log?format=xlsx&verdict=rejected`, {
      headers: { cookie: w.admin.cookie! },
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toMatch(/log-akses-.*\.xlsx/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(3).values).toContain('Keputusan');
    const decisions = new Set<string>();
    sheet.eachRow((row, n) => {
      if (n > 3) decisions.add(String(row.getCell(3).value));
    });
    expect([...decisions]).toEqual(['Ditolak']);
    expect(sheet.rowCount).toBeGreaterThan(4);

    const pdf = await fetch(`${w.server.url}/api/v1${w.base}/access-log?format=pdf`, { headers: { cookie: w.admin.cookie! } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });
});

// Last: it leaves this address rate-limited for pairing in this estate.
describe('pairing code guessing', () => {
  it('refuses wrong codes and then rate-limits the guessing address', async () => {
    const anonymous = apiClient(w.server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await anonymous.post(`${w.base}/devices/pair`, { pairing_code: `ZZZZ-ZZ${i}A` })).status);
    // Ten attempts a minute per address, the earlier successful pairings from this address included.
    const firstLimited = statuses.indexOf(429);
    expect(firstLimited).toBeGreaterThan(0);
    expect(statuses.slice(0, firstLimited).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(firstLimited).every((s) => s === 429)).toBe(true);
    expect((await anonymous.post(`${w.base}/devices/pair`, {})).status).toBe(400);
  });
});
