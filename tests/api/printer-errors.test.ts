// "Cetak struk" and the printer test page say what is wrong and where to fix it: not set up (and which settings page),
// or the configured host:port that did not answer and how long the server waited. The printer is a real TCP listener
// on 127.0.0.1 and its ESC/POS bytes are decoded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos, startEscPosListener, type EscPosListener } from '../support/escpos-listener.ts';
import { apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

let server: TestServer;
let admin: ApiClient;
let estateId: string;
let unitId: string;
let printer: EscPosListener;
const e = (p: string) => `/estates/${estateId}${p}`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  unitId = (await admin.post(e('/units'), { code: 'A-12', type: 'rumah', occupancy: 'occupied' })).body.id;
  printer = await startEscPosListener();
});
afterAll(async () => {
  await printer?.close();
  await server?.close();
});

async function pay() {
  const res = await admin.post(e('/payments'), { unit_id: unitId, amount: 150_000, method: 'cash', paid_at: '2026-11-21T07:05:00.000Z' });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

describe('printer errors', () => {
  it('names the settings page when no receipt printer is set up, in both languages', async () => {
    const paymentId = await pay();
    const res = await admin.post(e(`/payments/${paymentId}/receipt/print`), { target: 'printer' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'PRINTER_NOT_CONFIGURED',
      message: expect.stringContaining('Pengaturan → Printer struk'),
    });
    const test = await admin.post(e('/settings/printer/test'));
    expect(test.body.error.code).toBe('PRINTER_NOT_CONFIGURED');
    const english = await admin.post(e('/settings/printer/test'), undefined, { 'Accept-Language': 'en' });
    expect(english.body.error.message).toContain('Settings → Receipt printer');
  });

  it('names the host:port that did not answer and the wait, the same for a closed port as for a silent one', async () => {
    const paymentId = await pay();
    const gone = await startEscPosListener();
    await gone.close();
    expect(
      (await admin.put(e('/settings/printer'), { connection: 'network', host: '127.0.0.1', port: gone.port, timeout_ms: 1500 })).status,
    ).toBe(200);
    const started = Date.now();
    const res = await admin.post(e(`/payments/${paymentId}/receipt/print`), { target: 'printer' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PRINTER_UNAVAILABLE');
    expect(res.body.error.message).toBe(`Printer tidak dapat dihubungi: 127.0.0.1:${gone.port} tidak menjawab dalam 1,5 detik`);
    const english = await admin.post(e('/settings/printer/test'), undefined, { 'Accept-Language': 'en' });
    expect(english.body.error.message).toBe(`The printer cannot be reached: 127.0.0.1:${gone.port} did not answer within 1,5 seconds`);
    // Nothing was used up: the first successful print is still the original.
    await admin.put(e('/settings/printer'), { connection: 'network', host: '127.0.0.1', port: printer.port, paper_width: 80 });
    const printed = await admin.post(e(`/payments/${paymentId}/receipt/print`), { target: 'printer' });
    expect(printed.body).toMatchObject({ print_number: 1 });
    await printer.nextJob();
  });

  it('prints the test page on the configured printer at its paper width', async () => {
    await admin.put(e('/settings/printer'), { connection: 'network', host: '127.0.0.1', port: printer.port, paper_width: 58 });
    const res = await admin.post(e('/settings/printer/test'));
    expect(res.status, res.text).toBe(200);
    const page = decodeEscPos(await printer.nextJob());
    expect(page.lines).toContain('Tes printer Klustera');
    expect(page.lines.join('\n')).toContain('58 mm');
    for (const line of page.lines) expect(line.length).toBeLessThanOrEqual(32);
    expect(page.images.length).toBe(1);
  });

  it('keeps the printer settings to those who may change them', async () => {
    const { client: staff } = await userWithRole(server.url, admin, estateId, 'staff');
    expect((await staff.put(e('/settings/printer'), { connection: 'network', host: '127.0.0.1', port: 9100 })).status).toBe(403);
    const { client: guard } = await userWithRole(server.url, admin, estateId, 'guard');
    expect((await guard.post(e('/settings/printer/test'))).status).toBe(403);
    expect((await apiClient(server.url).get(e('/settings/printer'))).status).toBe(401);
    expect((await admin.get('/estates/0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/settings/printer')).status).toBe(404);
  });
});
