import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeXendit, type FakeXendit } from '../support/fake-xendit.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';

/**
 * The portal asks whether paying online is offered before it shows "Bayar" with QRIS: the answer follows the
 * office's switch and never carries the keys, the callback token or the gateway's address.
 */
let server: TestServer;
let admin: ApiClient;
let resident: ApiClient;
let estateId: string;
let unitId: string;
let fake: FakeXendit;
const e = (p: string) => `/estates/${estateId}${p}`;
const SECRET_KEY = 'xnd_development_portal_options_key';
const CALLBACK_TOKEN = 'callback-token-portal-options-0123';

beforeAll(async () => {
  server = await startTestServer({ backgroundJobs: false });
  fake = await startFakeXendit(SECRET_KEY);
  ({ client: admin, estateId } = await setupEstate(server.url));
  const unit = (await admin.post(e('/units'), { code: 'P-1', type: 'rumah', occupancy: 'occupied' })).body;
  unitId = unit.id;
  const warga = (await admin.post(e('/residents'), { name: 'Warga P-1', unit_id: unit.id })).body;
  ({ client: resident } = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: warga.id }));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('GET /portal/online-payment', () => {
  it('is off until the office switches the gateway on, then names the methods and nothing secret', async () => {
    const before = await resident.get(e('/portal/online-payment'));
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ enabled: false, provider: null, methods: [], va_banks: [], ewallet_channels: [] });

    const saved = await admin.put(e('/settings/payment-gateway'), {
      provider: 'xendit',
      enabled: true,
      base_url: 'http://127.0.0.1:9',
      methods: ['qris'],
      fee_bearer: 'estate',
      secret_key: SECRET_KEY,
      callback_token: CALLBACK_TOKEN,
    });
    expect(saved.status, saved.text).toBe(200);

    const after = await resident.get(e('/portal/online-payment'));
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ enabled: true, provider: 'xendit', methods: ['qris'], va_banks: [], ewallet_channels: [] });
    expect(after.text).not.toContain(SECRET_KEY);
    expect(after.text).not.toContain(CALLBACK_TOKEN);
    expect(after.text).not.toContain('127.0.0.1');

    const off = await admin.put(e('/settings/payment-gateway'), {
      provider: 'xendit',
      enabled: false,
      base_url: 'http://127.0.0.1:9',
      methods: ['qris'],
      fee_bearer: 'estate',
    });
    expect(off.status, off.text).toBe(200);
    expect((await resident.get(e('/portal/online-payment'))).body).toEqual({
      enabled: false,
      provider: null,
      methods: [],
      va_banks: [],
      ewallet_channels: [],
    });
  });

  it('is not for the office: a treasurer without a residence is refused', async () => {
    const { client: treasurer } = await userWithRole(server.url, admin, estateId, 'treasurer');
    expect((await treasurer.get(e('/portal/online-payment'))).status).toBe(403);
  });
});

describe('GET /online-charges for the office', () => {
  it("names each charge's unit by its code", async () => {
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
    const charged = await resident.post(e('/portal/online-charges'), { method: 'qris', amount: 50_000 });
    expect(charged.status, charged.text).toBe(201);
    const list = await admin.get(e('/online-charges'));
    expect(list.status, list.text).toBe(200);
    expect(
      list.body.items.map((c: { unit_id: string; unit_code: string | null; amount: number; status: string }) => [
        c.unit_id,
        c.unit_code,
        c.amount,
        c.status,
      ]),
    ).toEqual([[unitId, 'P-1', 50_000, 'pending']]);
  });
});
