import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger, rotatingFile } from '../../server/observability/logger.ts';
import { bearerMatches, ServerMetrics } from '../../server/observability/metrics.ts';
import { jobsCheck, type JobRunnerHealth } from '../../server/observability/readiness.ts';
import { scrubText } from '../../server/observability/scrub.ts';
import { apiClient, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { captureLogger } from '../support/log-capture.ts';

/** Prometheus text format → value of the first sample whose name and labels match. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const got = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('request logs', () => {
  let server: TestServer;
  const capture = captureLogger();
  beforeAll(async () => {
    server = await startTestServer({ logger: capture.log, options: { loginRateLimitPerMinute: 1000 } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('gives each request an id, keeps a sane incoming one, and writes one access line with the route pattern', async () => {
    const own = await fetch(`${server.url}/api/v1/health`, { headers: { 'X-Request-Id': 'lb-42.a:b' } });
    expect(own.headers.get('x-request-id')).toBe('lb-42.a:b');
    const odd = await fetch(`${server.url}/api/v1/health`, { headers: { 'X-Request-Id': 'bad id\twith "quotes"' } });
    const made = odd.headers.get('x-request-id')!;
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    const { estateId } = await setupEstate(server.url);
    const admin = apiClient(server.url);
    await admin.post('/auth/login', { login: 'ketua@griya-asri.id', password: 'rahasia-ketua-1' });
    const unit = await admin.get(`/estates/${estateId}/units/0190a4b0-0000-7000-8000-000000000000`);
    expect(unit.status).toBe(404);
    await waitFor(async () => capture.records().some((r) => r.route === '/api/v1/estates/:estate_id/units/:id'));
    const access = capture.records().filter((r) => r.msg === 'request');
    expect(access.find((r) => r.req_id === 'lb-42.a:b')).toMatchObject({ method: 'GET', route: '/api/v1/health', status: 200 });
    expect(access.find((r) => r.req_id === made)).toMatchObject({ route: '/api/v1/health', status: 200 });
    const line = access.find((r) => r.route === '/api/v1/estates/:estate_id/units/:id')!;
    expect(line).toMatchObject({ method: 'GET', status: 404, error_code: 'NOT_FOUND' });
    expect(typeof line.ms).toBe('number');
    expect(JSON.stringify(access)).not.toContain(estateId);
  });

  it('holds no credential, token in a path, password, phone number or name', async () => {
    const secrets = {
      bearer: 'kls_' + crypto.randomBytes(24).toString('hex'),
      cookie: 'klustera_session=' + crypto.randomBytes(24).toString('hex'),
      password: 'Sandi-Rahasia-' + crypto.randomBytes(6).toString('hex'),
      invite: 'INV' + crypto.randomBytes(8).toString('hex').toUpperCase(),
      reset: crypto.randomBytes(20).toString('hex'),
      pass: 'gp_' + crypto.randomBytes(30).toString('base64url'),
      phone: '0812' + String(crypto.randomInt(10_000_000, 99_999_999)),
      name: 'Bapak Sutrisno Wibowo' + crypto.randomInt(1000, 9999),
      metricsToken: crypto.randomBytes(24).toString('hex'),
    };
    const client = apiClient(server.url);
    await client.post('/auth/login', { login: secrets.phone, password: secrets.password });
    await client.post('/auth/login', { login: 'ketua@griya-asri.id', password: secrets.password });
    await fetch(`${server.url}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${secrets.bearer}`, Cookie: secrets.cookie } });
    await client.get(`/invites/${secrets.invite}`);
    await client.post(`/invites/${secrets.invite}/accept`, { name: secrets.name, password: secrets.password, phone: secrets.phone });
    await client.get(`/password-resets/${secrets.reset}`);
    await client.post(`/password-resets/${secrets.reset}`, { password: secrets.password });
    await client.get(`/guest-passes/${secrets.pass}`);
    await fetch(`${server.url}/p/${secrets.pass}?phone=${secrets.phone}`);
    await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${secrets.metricsToken}` } });
    const admin = apiClient(server.url);
    await admin.post('/auth/login', { login: 'ketua@griya-asri.id', password: 'rahasia-ketua-1' });
    const me = await admin.get('/auth/me');
    const estateId = me.body.memberships[0].estate_id as string;
    const created = await admin.post(`/estates/${estateId}/residents`, { name: secrets.name, phone: secrets.phone });
    expect(created.status).toBe(201);
    await waitFor(async () => capture.records().filter((r) => r.msg === 'request').length >= 14);
    const output = capture.lines.join('');
    for (const [what, value] of Object.entries(secrets)) expect(output.includes(value), `${what} in the log`).toBe(false);
    expect(output).not.toContain('rahasia-ketua-1');
    expect(output).toContain('"route":"/api/v1/invites/:code/accept"');
    expect(output).toContain('"route":"(web app)"');
  });

  it('masks phone numbers, addresses and tokens in error texts but keeps ids', () => {
    const id = '0190a4b0-1234-7000-8000-000000000abc';
    const text = scrubText(
      `duplicate key (phone)=(+62 812-3456-7890) for ${id}, mail budi@contoh.id, Bearer abc.def, code Q7KX2M9PLW4RT8NB`,
    );
    expect(text).toBe(`duplicate key (phone)=([phone]) for ${id}, mail [email], Bearer [redacted], code [token]`);
    expect(scrubText('session 0190a4b0-1234-7000-8000-000000000abc job gate.print-slip attempt 3')).toBe(
      'session 0190a4b0-1234-7000-8000-000000000abc job gate.print-slip attempt 3',
    );
  });

  it('drops the properties of a logged error other than its class, code, message and stack', () => {
    const capture2 = captureLogger();
    const err = Object.assign(new Error('insert into residents failed for 081234567890'), {
      code: '23505',
      detail: 'Key (phone)=(081234567890) already exists.',
    });
    capture2.log.error({ err, password: 'x-secret-x', user: { email: 'a@b.id', name: 'Siti' } }, 'failed');
    const [record] = capture2.records();
    expect(record.err).toMatchObject({ type: 'Error', code: '23505', message: 'insert into residents failed for [phone]' });
    expect(capture2.lines[0]).not.toContain('081234567890');
    expect(capture2.lines[0]).not.toContain('x-secret-x');
    expect(capture2.lines[0]).not.toContain('a@b.id');
    expect(capture2.lines[0]).not.toContain('Siti');
  });
});

describe('log file', () => {
  it('writes the log into the data folder through a rotating file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-logs-'));
    try {
      const stream = await rotatingFile({ dir: path.join(dir, 'logs'), size: '1m', keep: 3 });
      const log = createLogger(stream, 'info');
      log.info({ route: '/api/v1/health' }, 'request');
      // The folder and file are made as the stream opens, asynchronously.
      const logs = path.join(dir, 'logs');
      await waitFor(async () => fs.existsSync(logs) && fs.readdirSync(logs).some((f) => /^klustera\..*\.log$/.test(f)));
      const file = fs.readdirSync(path.join(dir, 'logs')).find((f) => f.endsWith('.log'))!;
      await waitFor(async () => fs.readFileSync(path.join(dir, 'logs', file), 'utf8').includes('"route":"/api/v1/health"'));
      (stream as unknown as { end(): void }).end();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GET /ready', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ logger: captureLogger().log });
  });
  afterAll(async () => {
    await server.close();
  });

  it('is 200 when the database answers, migrations are current and the job runner ticks', async () => {
    await waitFor(async () => (await fetch(`${server.url}/api/v1/ready`)).status === 200);
    const res = await apiClient(server.url).get('/ready');
    expect(res.body).toEqual({
      ready: true,
      not_ready: [],
      checks: { database: { ok: true }, migrations: { ok: true }, jobs: { ok: true } },
    });
    expect((await apiClient(server.url).get('/health')).status).toBe(200);
  });

  it('is 503 naming the migrations while one is pending', async () => {
    const last = (await server.db.knex('knex_migrations').orderBy('id', 'desc').first()) as Record<string, unknown>;
    await server.db.knex('knex_migrations').where({ id: last.id }).delete();
    try {
      const res = await apiClient(server.url).get('/ready');
      expect(res.status).toBe(503);
      expect(res.body.not_ready).toEqual(['migrations']);
      expect(res.body.checks.migrations).toEqual({ ok: false, detail: '1 migration(s) pending' });
    } finally {
      await server.db.knex('knex_migrations').insert(last);
    }
    expect((await apiClient(server.url).get('/ready')).status).toBe(200);
  });

  it('is 503 naming the jobs when the job runner stopped, and again 200 when it runs', async () => {
    await server.jobs.stop();
    const res = await apiClient(server.url).get('/ready');
    expect(res.status).toBe(503);
    expect(res.body.not_ready).toEqual(['jobs']);
    expect(res.body.checks.jobs.detail).toBe('the job runner is not running');
    server.jobs.start();
    await waitFor(async () => (await fetch(`${server.url}/api/v1/ready`)).status === 200);
  });

  it('counts a runner that has not finished a round for two minutes as not ready', () => {
    const runner = (at: Date | null): JobRunnerHealth => ({ isRunning: true, lastTickAt: () => at, onOutcome: () => () => {} });
    const now = Date.parse('2026-11-30T10:00:00Z');
    expect(jobsCheck(runner(new Date(now - 119_000)), now)).toEqual({ ok: true });
    expect(jobsCheck(runner(new Date(now - 121_000)), now)).toEqual({
      ok: false,
      detail: 'the job runner last finished a round 121 s ago',
    });
    expect(jobsCheck(runner(null), now).ok).toBe(false);
  });

  it('is 503 naming the database when it cannot be reached', async () => {
    const other = await startTestServer({ logger: captureLogger().log, backgroundJobs: false });
    try {
      await other.app.db.knex.destroy();
      const res = await apiClient(other.url).get('/ready');
      expect(res.status).toBe(503);
      expect(res.body.not_ready).toEqual(['database', 'migrations', 'jobs']);
      expect(res.body.checks.database).toEqual({ ok: false, detail: 'the database cannot be reached' });
    } finally {
      await other.close().catch(() => {});
    }
  });
});

describe('GET /metrics', () => {
  const token = crypto.randomBytes(24).toString('hex');
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ logger: captureLogger().log, metrics: { port: 0, token } });
  });
  afterAll(async () => {
    await server.close();
  });

  const scrape = async () => {
    const res = await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };

  it('counts requests by route pattern and status and times them, on its own port', async () => {
    const before = await scrape();
    const key = { method: 'GET', route: '/api/v1/health', status: '200' };
    const start = sample(before, 'klustera_http_requests_total', key) ?? 0;
    for (let i = 0; i < 3; i++) await fetch(`${server.url}/api/v1/health`);
    await fetch(`${server.url}/api/v1/estates/0190a4b0-0000-7000-8000-000000000000/units`);
    await waitFor(async () => sample(await scrape(), 'klustera_http_requests_total', key) === start + 3);
    const text = await scrape();
    expect(sample(text, 'klustera_http_requests_total', { method: 'GET', route: '/api/v1/estates/:estate_id/units', status: '401' })).toBe(
      1,
    );
    expect(sample(text, 'klustera_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/health' })).toBeGreaterThanOrEqual(
      3,
    );
    expect(
      sample(text, 'klustera_http_request_duration_seconds_bucket', { method: 'GET', route: '/api/v1/health', le: '+Inf' }),
    ).toBeGreaterThanOrEqual(3);
    expect(text).not.toContain('0190a4b0-0000-7000-8000-000000000000');
    expect(sample(text, 'klustera_jobs', {})).toBeUndefined(); // an empty queue: no status row yet
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'klustera_job_runner_last_tick_age_seconds')).toBeLessThan(60);
    // Only /metrics lives on that port.
    expect((await fetch(`http://127.0.0.1:${server.metricsPort}/api/v1/health`)).status).toBe(404);
  });

  it('reports the job queue by status and sync lag per linked estate', async () => {
    const { estateId, client } = await setupEstate(server.url);
    expect((await client.post(`/estates/${estateId}/residents`, { name: 'Warga Satu' })).status).toBe(201);
    const at = new Date(Date.now() - 90_000).toISOString();
    // The resident's change waits for a hosted instance that never acknowledges it: make it 90 s old (put back after
    // the scrape, so the journal still dates each row's last change).
    const stamped = (await server.db.knex('outbox').where({ estate_id: estateId }).select('id', 'created_at')) as Array<{
      id: string;
      created_at: string;
    }>;
    await server.db.knex('outbox').where({ estate_id: estateId }).update({ created_at: at });
    await server.db.knex('jobs').insert({
      id: crypto.randomUUID(),
      estate_id: estateId,
      name: 'test.never-registered',
      payload: '{}',
      status: 'failed',
      attempts: 3,
      max_attempts: 3,
      run_at: at,
      created_at: at,
      updated_at: at,
    });
    await server.db.knex('sync_links').insert({
      id: crypto.randomUUID(),
      estate_id: estateId,
      cloud_url: 'http://127.0.0.1:9',
      token: 'kls_x',
      last_sync_at: new Date(Date.now() - 600_000).toISOString(),
      created_at: at,
      updated_at: at,
    });
    const text = await scrape();
    expect(sample(text, 'klustera_jobs', { status: 'failed' })).toBe(1);
    expect(sample(text, 'klustera_sync_oldest_pending_change_age_seconds', { estate_id: estateId })).toBeGreaterThanOrEqual(90);
    expect(sample(text, 'klustera_sync_last_success_age_seconds', { estate_id: estateId })).toBeGreaterThanOrEqual(600);
    for (const row of stamped) await server.db.knex('outbox').where({ id: row.id }).update({ created_at: row.created_at });
  });

  it('answers on the main port only to the bearer token, 404 otherwise', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}x` } })).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token.slice(1)}` } })).status).toBe(404);
    const ok = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('klustera_http_requests_total');
  });

  it('is 404 on a server started without a metrics port or token, not the web page', async () => {
    const plain = await startTestServer({ logger: captureLogger().log, backgroundJobs: false });
    try {
      const res = await fetch(`${plain.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('NOT_FOUND');
      expect(plain.metricsPort).toBeUndefined();
      expect(plain.app.observability?.metrics).toBeNull();
    } finally {
      await plain.close();
    }
  });

  it('compares the token in constant time, whatever its length', () => {
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    try {
      expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
      expect(bearerMatches('Bearer x', token)).toBe(false);
      expect(bearerMatches(`Bearer ${token}${token}`, token)).toBe(false);
      expect(bearerMatches(token, token)).toBe(false);
      expect(bearerMatches(undefined, token)).toBe(false);
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('counts job failures, final or to be retried, by job', async () => {
    let listener: Parameters<JobRunnerHealth['onOutcome']>[0] = () => {};
    const metrics = new ServerMetrics({ knex: () => server.db.knex, siteId: 'x', jobs: () => undefined, notCarriedTables: [] });
    try {
      metrics.watchJobs({ isRunning: true, lastTickAt: () => null, onOutcome: (l) => ((listener = l), () => {}) });
      listener({ name: 'gate.print-slip', result: 'retry' });
      listener({ name: 'gate.print-slip', result: 'failed' });
      listener({ name: 'gate.print-slip', result: 'done' });
      const text = await metrics.text();
      expect(sample(text, 'klustera_job_failures_total', { job: 'gate.print-slip', final: 'false' })).toBe(1);
      expect(sample(text, 'klustera_job_failures_total', { job: 'gate.print-slip', final: 'true' })).toBe(1);
    } finally {
      metrics.close();
    }
  });
});
