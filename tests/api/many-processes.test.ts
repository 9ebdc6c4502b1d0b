import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { spawnServer, type ServerProcess } from '../../bench/lib/server-process.ts';
import { defineJob } from '../../server/jobs/define-job.ts';
import { enqueueJob } from '../../server/jobs/job-queue.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { ApiClient, apiClient, setupEstate } from '../support/server.ts';

/**
 * Two real `klustera serve` processes on one PostgreSQL (`pgUrl` from the global setup), as a hosted instance runs
 * them behind a load balancer: what one process learns, the other must know.
 */
let pgdb: TestDatabase;
let knex: Knex;
const dataDirs: string[] = [];
let a: ServerProcess;
let b: ServerProcess;
let admin: ApiClient;
let estateId: string;

async function serve(url: string): Promise<ServerProcess> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klustera-many-'));
  dataDirs.push(dir);
  return spawnServer(dir, { DATABASE_URL: url, KLUSTERA_VALIDATE_RESPONSES: '1', KLUSTERA_PUBLIC_URL: '' });
}

/** The same browser (cookie and CSRF token) talking to another process. */
function sameBrowserOn(client: ApiClient, url: string): ApiClient {
  const other = apiClient(url);
  other.cookie = client.cookie;
  other.csrf = client.csrf;
  return other;
}

/** Requests from one client address: the servers trust X-Forwarded-For from loopback, as behind a local proxy. */
const from = (ip: string) => ({ 'x-forwarded-for': ip });

beforeAll(async () => {
  pgdb = await createTestDatabase(inject('pgUrl'));
  knex = knexFactory({ client: 'pg', connection: pgdb.url, pool: { min: 0, max: 2 } });
  // One after the other: the first start migrates the empty database.
  a = await serve(pgdb.url);
  b = await serve(pgdb.url);
  ({ client: admin, estateId } = await setupEstate(a.url));
}, 120_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await knex?.destroy();
  await pgdb?.drop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('two server processes on one PostgreSQL', () => {
  it('a session made on A works on B, and a logout on A ends it on B', async () => {
    const login = apiClient(a.url);
    expect((await login.post('/auth/login', { login: 'ketua@griya-asri.id', password: 'rahasia-ketua-1' })).status).toBe(200);
    const onB = sameBrowserOn(login, b.url);
    expect((await onB.get('/auth/me')).status).toBe(200);
    expect((await login.post('/auth/logout')).status).toBeLessThan(300);
    const after = await onB.get('/auth/me');
    expect(after.status).toBe(401);
  });

  it('an account locked through A is locked on B', async () => {
    const made = await admin.post(`/estates/${estateId}/users`, {
      name: 'Pak Bendahara',
      email: 'bendahara@griya-asri.id',
      role: 'treasurer',
      password: 'bendahara-rahasia',
    });
    expect(made.status).toBe(201);
    const guesses = [];
    for (let i = 0; i < 5; i++) {
      guesses.push(
        (await apiClient(a.url).post('/auth/login', { login: 'bendahara@griya-asri.id', password: `salah-${i}` }, from('198.51.100.7')))
          .status,
      );
    }
    expect(guesses).toEqual([401, 401, 401, 401, 429]);
    const right = await apiClient(b.url).post(
      '/auth/login',
      { login: 'bendahara@griya-asri.id', password: 'bendahara-rahasia' },
      from('198.51.100.7'),
    );
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('ACCOUNT_LOCKED');
  });

  it('a public URL saved through A is used by the invite links B makes', async () => {
    const saved = await admin.put('/installation/public-url', { public_url: 'https://klustera.example.id' });
    expect(saved.status).toBe(200);
    // Each process re-reads the saved address at most every PUBLIC_URL_REREAD_MS (2 s).
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    const adminOnB = sameBrowserOn(admin, b.url);
    const res = await adminOnB.post(`/estates/${estateId}/users`, { name: 'Bu Warga', phone: '0812-3333-4444', role: 'staff' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.invite.url).toBe(`https://klustera.example.id/portal/invite/${res.body.invite.code}`);
    expect((await adminOnB.get('/installation/public-url')).body.public_url).toBe('https://klustera.example.id');
  });

  it('the sign-in rate limit reached on A applies on B', async () => {
    const ip = from('203.0.113.50');
    // The default limit is 30 password requests a minute per address, whichever process answers them.
    for (let i = 0; i < 30; i++) {
      const res = await apiClient(a.url).post('/auth/login', { login: `tamu-${i}@contoh.id`, password: 'apa-saja-123' }, ip);
      expect(res.status).toBe(401);
    }
    const onB = await apiClient(b.url).post('/auth/login', { login: 'ketua@griya-asri.id', password: 'rahasia-ketua-1' }, ip);
    expect(onB.status).toBe(429);
    expect(onB.body.error.code).toBe('RATE_LIMITED');
    // Another address is not affected.
    const other = await apiClient(b.url).post(
      '/auth/login',
      { login: 'ketua@griya-asri.id', password: 'rahasia-ketua-1' },
      from('203.0.113.51'),
    );
    expect(other.status).toBe(200);
  });

  it('a job enqueued once runs once although both processes run workers', async () => {
    // The server's own clean-up job, enqueued by name as a schedule would: both workers poll the same queue.
    const prune = defineJob({ name: 'jobs.prune', schema: z.object({}), run: async () => {} });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await enqueueJob(knex, prune, {}, { key: `many-processes-${i}` })).id);
    const deadline = Date.now() + 30_000;
    let rows: { status: string; attempts: number }[] = [];
    while (Date.now() < deadline) {
      rows = await knex('jobs').whereIn('id', ids).select('status', 'attempts');
      if (rows.length === ids.length && rows.every((r) => r.status === 'done')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(rows).toHaveLength(ids.length);
    expect(
      rows.every((r) => r.status === 'done' && Number(r.attempts) === 1),
      JSON.stringify(rows),
    ).toBe(true);
  });

  it('schedules are planned by one process only, and the other takes over when it stops', async () => {
    const holder = async () =>
      ((await knex('job_leases').where({ name: 'scheduler' }).first('holder')) as { holder: string } | undefined)?.holder;
    const leader = await holder();
    expect(leader).toBeDefined();
    const [first, second] = leader!.includes(`:${a.pid}:`) ? [a, b] : [b, a];
    expect(leader).toContain(`:${first.pid}:`);
    await first.stop();
    const deadline = Date.now() + 15_000;
    let next = await holder();
    while (!next?.includes(`:${second.pid}:`) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      next = await holder();
    }
    expect(next).toContain(`:${second.pid}:`);
  });
});
