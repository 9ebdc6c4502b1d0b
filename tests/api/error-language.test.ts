import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * The same bad request answers in Indonesian unless the caller asks for English with Accept-Language; the code and
 * the field never change with the language.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  expect((await admin.post(`/estates/${estateId}/units`, { code: 'A-1' })).status).toBe(201);
});
afterAll(async () => {
  await server?.close();
});

const english = { 'Accept-Language': 'en' };

describe('error messages in the language the request asks for', () => {
  it('a field error from a schema message', async () => {
    const send = (headers: Record<string, string> = {}) => admin.request('POST', `/estates/${estateId}/units`, { code: '!!' }, headers);
    const id = await send();
    expect(id.status).toBe(400);
    expect(id.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'code', message: 'code: Kode unit tidak sah (contoh: A-12).' });
    const en = await send(english);
    expect(en.status).toBe(400);
    expect(en.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'code', message: 'code: Invalid unit code (e.g. A-12).' });
    expect(en.body.error.details).toEqual([{ field: 'code', message: 'Invalid unit code (e.g. A-12).' }]);
  });

  it("a field error from zod's own checks, with the value it names", async () => {
    const send = (headers: Record<string, string> = {}) =>
      admin.request('POST', `/estates/${estateId}/units`, { code: 'A-2', notes: 7 }, headers);
    const id = await send();
    expect(id.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'notes', message: 'notes: Harus berupa teks.' });
    const en = await send(english);
    expect(en.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'notes', message: 'notes: Must be text.' });
    const long = (headers: Record<string, string> = {}) =>
      admin.request('POST', `/estates/${estateId}/units`, { code: 'A-3', notes: 'x'.repeat(2001) }, headers);
    expect((await long()).body.error).toMatchObject({ field: 'notes', message: 'notes: Maksimal 2000 karakter.' });
    expect((await long(english)).body.error).toMatchObject({ field: 'notes', message: 'notes: At most 2000 characters.' });
  });

  it('a 404 that names what is missing', async () => {
    const path = `/estates/${estateId}/invoices/0190f5c2-0000-7000-8000-000000000000`;
    const id = await admin.request('GET', path);
    expect(id.status).toBe(404);
    expect(id.body.error).toEqual({ code: 'NOT_FOUND', message: 'Tagihan tidak ditemukan.' });
    const en = await admin.request('GET', path, undefined, english);
    expect(en.status).toBe(404);
    expect(en.body.error).toEqual({ code: 'NOT_FOUND', message: 'Invoice not found.' });
    const api = await admin.request('GET', '/no-such-route', undefined, english);
    expect(api.body.error).toEqual({ code: 'NOT_FOUND', message: 'API address not found.' });
  });

  it('a 409 with a value inside the message', async () => {
    const send = (headers: Record<string, string> = {}) => admin.request('POST', `/estates/${estateId}/units`, { code: 'A-1' }, headers);
    const id = await send();
    expect(id.status).toBe(409);
    expect(id.body.error).toEqual({ code: 'DUPLICATE', field: 'code', message: 'Unit A-1 sudah ada.' });
    const en = await send({ 'Accept-Language': 'en-US,en;q=0.9,id;q=0.8' });
    expect(en.status).toBe(409);
    expect(en.body.error).toEqual({ code: 'DUPLICATE', field: 'code', message: 'Unit A-1 already exists.' });
  });

  it("the sign-in rate limit's 429 too", async () => {
    const limited = await startTestServer({ options: { loginRateLimitPerMinute: 1 } });
    try {
      const client = apiClient(limited.url);
      const login = (headers: Record<string, string> = {}) =>
        client.request('POST', '/auth/login', { login: 'tidak-ada@x.id', password: 'salah-sekali' }, headers);
      await login();
      const id = await login();
      expect(id.status).toBe(429);
      expect(id.body.error).toEqual({ code: 'RATE_LIMITED', message: 'Terlalu banyak percobaan. Coba lagi sebentar lagi.' });
      const en = await login(english);
      expect(en.status).toBe(429);
      expect(en.body.error).toEqual({ code: 'RATE_LIMITED', message: 'Too many attempts. Try again in a moment.' });
      expect(Number(en.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('reads the header robustly and falls back to Indonesian', async () => {
    const message = async (value: string) =>
      (await admin.request('POST', `/estates/${estateId}/units`, { code: 'A-1' }, { 'Accept-Language': value })).body.error.message;
    expect(await message('id-ID,id;q=0.9,en;q=0.8')).toBe('Unit A-1 sudah ada.');
    expect(await message('id;q=0.2, en;q=0.7')).toBe('Unit A-1 already exists.');
    expect(await message('en;q=0, fr')).toBe('Unit A-1 sudah ada.');
    expect(await message('fr-FR, en-GB;q=0.5')).toBe('Unit A-1 already exists.');
    expect(await message('*')).toBe('Unit A-1 sudah ada.');
    expect(await message(';;;,,=q=en')).toBe('Unit A-1 sudah ada.');
    expect(await message('en;q=abc')).toBe('Unit A-1 sudah ada.');
    expect(await message(`${'x'.repeat(4000)},en`)).toBe('Unit A-1 sudah ada.');
    expect(await message(Array.from({ length: 200 }, () => 'en').join(','))).toBe('Unit A-1 sudah ada.');
  });
});
