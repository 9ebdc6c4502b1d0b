import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { startServer, type RunningServer, type StartOptions } from '../../server/start.ts';
import { createTestDatabase } from '../setup/pg-database.ts';
import { journalGaps } from './journal-coverage.ts';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** The PostgreSQL database it runs on, or undefined on SQLite. */
  databaseUrl?: string;
}

/** Every table of the server's database, on either backend. */
export async function tableNames(knex: RunningServer['db']['knex']): Promise<string[]> {
  if (knex.client.config.client === 'pg') {
    const result = await knex.raw(
      "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
    );
    return (result.rows as { name: string }[]).map((r) => r.name).sort();
  }
  const rows: { name: string }[] = await knex('sqlite_master').where({ type: 'table' }).whereNot('name', 'like', 'sqlite_%').select('name');
  return rows.map((r) => r.name).sort();
}

// Every JSON answer of a test server is checked against its route's response schema (a drift answers 500 RESPONSE_SCHEMA).
process.env.KLUSTERA_VALIDATE_RESPONSES ??= '1';

/** The database the API suites run on when a test does not choose: `KLUSTERA_TEST_BACKEND=postgres` or SQLite. */
export const TEST_BACKEND: 'sqlite' | 'postgres' = process.env.KLUSTERA_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

/**
 * The real server on 127.0.0.1 with a real SQLite file in a fresh temp folder, or, when the suite runs on PostgreSQL
 * (`KLUSTERA_TEST_BACKEND=postgres`, `npm test` does both), a fresh PostgreSQL database of its own.
 */
export async function startTestServer(opts: StartOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-test-'));
  const ownDatabase =
    TEST_BACKEND === 'postgres' && opts.databaseUrl === undefined && !opts.dataDir ? await createTestDatabase(inject('pgUrl')) : null;
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    schedules: false,
    ...opts,
    dataDir,
    databaseUrl: opts.databaseUrl ?? ownDatabase?.url,
  });
  return {
    ...server,
    dataDir,
    databaseUrl: opts.databaseUrl ?? ownDatabase?.url,
    async close() {
      // KLUSTERA_CHECK_OUTBOX=1: whatever a suite did through the API must have left its audit and outbox rows.
      const gaps = process.env.KLUSTERA_CHECK_OUTBOX === '1' ? await journalGaps(server.db.knex) : [];
      await server.close();
      await ownDatabase?.drop();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      if (gaps.length) throw new Error(`writes without their journal rows (${gaps.length}):\n${gaps.slice(0, 30).join('\n')}`);
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** A client that behaves like the browser app: keeps the session cookie and sends the CSRF token on writes. */
export class ApiClient {
  cookie?: string;
  csrf?: string;
  bearer?: string;

  constructor(readonly baseUrl: string) {}

  withBearer(token: string): ApiClient {
    const c = new ApiClient(this.baseUrl);
    c.bearer = token;
    return c;
  }

  async request<T = any>(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (typeof body === 'string') {
      payload = body;
      h['content-type'] ??= 'application/json';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] ??= this.csrf;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    const url = p.startsWith('http') ? p : `${this.baseUrl}/api/v1${p}`;
    const res = await fetch(url, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.getSetCookie?.() ?? [];
    for (const c of setCookie) {
      const [pair] = c.split(';');
      if (pair.startsWith('klustera_session=')) this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    const text = await res.text();
    let parsed: any = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && typeof parsed.csrf_token === 'string') this.csrf = parsed.csrf_token;
    return { status: res.status, body: parsed, headers: res.headers, text };
  }

  get<T = any>(p: string, headers?: Record<string, string>) {
    return this.request<T>('GET', p, undefined, headers);
  }
  post<T = any>(p: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', p, body ?? {}, headers);
  }
  patch<T = any>(p: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', p, body ?? {}, headers);
  }
  put<T = any>(p: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', p, body ?? {}, headers);
  }
  delete<T = any>(p: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', p, undefined, headers);
  }

  /** multipart/form-data: text fields plus files given as {name: {filename, content, type?}}. */
  upload<T = any>(
    p: string,
    fields: Record<string, string>,
    files: Record<string, { filename: string; content: Buffer | Uint8Array; type?: string }>,
    headers?: Record<string, string>,
  ) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [k, f] of Object.entries(files))
      form.append(k, new Blob([new Uint8Array(f.content)], { type: f.type ?? 'application/octet-stream' }), f.filename);
    return this.request<T>('POST', p, form, headers);
  }
}

export function apiClient(url: string): ApiClient {
  return new ApiClient(url);
}

export const ADMIN = { name: 'Ibu Ketua', email: 'ketua@griya-asri.id', password: 'rahasia-ketua-1' };

/** Runs first-run setup and returns the logged-in administrator's client. */
export async function setupEstate(url: string, estateName = 'Perumahan Griya Asri') {
  const client = apiClient(url);
  const res = await client.post('/setup', {
    // KLUSTERA_TEST_ESTATE_TZ runs the suites for an estate in another zone (npm test does, for Asia/Jayapura).
    estate: {
      name: estateName,
      address: 'Jl. Melati Raya, Bekasi',
      rt: '003',
      rw: '011',
      timezone: process.env.KLUSTERA_TEST_ESTATE_TZ || 'Asia/Jakarta',
    },
    admin: ADMIN,
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${res.text}`);
  return { client, estateId: res.body.estate.id as string, admin: ADMIN };
}

/** Adds a user with a role (and password) to an estate and returns their logged-in client. */
export async function userWithRole(url: string, admin: ApiClient, estateId: string, role: string, extra: Record<string, unknown> = {}) {
  const n = Math.random().toString(36).slice(2, 8);
  const email = `${role}-${n}@griya-asri.id`;
  const password = `rahasia-${role}-1`;
  let residentId = extra.resident_id as string | undefined;
  if (role === 'resident' && !residentId) {
    const r = await admin.post(`/estates/${estateId}/residents`, { name: `Warga ${n}` });
    residentId = r.body.id;
  }
  const res = await admin.post(`/estates/${estateId}/users`, {
    name: `${role} ${n}`,
    email,
    role,
    password,
    resident_id: residentId,
    ...extra,
  });
  if (res.status !== 201) throw new Error(`user create failed: ${res.status} ${res.text}`);
  const client = apiClient(url);
  const login = await client.post('/auth/login', { login: email, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  return { client, email, password, userId: res.body.user.id as string, residentId };
}
