import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { openDatabase } from '../../server/db/knex.ts';
import { sqliteTransaction } from '../../server/db/sqlite-direct.ts';
import type { AppContext } from '../../server/http/app-context.ts';
import { defineJob, defineSchedule, retryDelayMs } from '../../server/jobs/define-job.ts';
import { completeJob, enqueueJob } from '../../server/jobs/job-queue.ts';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { markWebhookProcessed, receiveWebhook } from '../../server/jobs/webhook-inbox.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/** Durable jobs on both databases: enqueued with the write, retried, deduplicated, claimed by one runner only. */

type Knex = AppContext['db']['knex'];

async function effectsTable(knex: Knex) {
  if (!(await knex.schema.hasTable('test_job_effects'))) {
    await knex.schema.createTable('test_job_effects', (t) => {
      t.increments('n');
      t.string('job', 64).notNullable();
      t.string('worker', 120).notNullable();
    });
  }
}

function inTransaction<T>(knex: Knex, body: (trx: any) => Promise<T>): Promise<T> {
  const onSqlite = sqliteTransaction(knex);
  return onSqlite ? onSqlite(body) : knex.transaction(body);
}

const recordEffect = defineJob({
  name: 'test.record-effect',
  schema: z.object({ label: z.string() }),
  run: async (ctx, payload) => {
    await ctx.trx!('test_job_effects').insert({ job: payload.label, worker: ctx.jobId });
  },
});

let failuresLeft = 0;
const flaky = defineJob({
  name: 'test.flaky',
  schema: z.object({ label: z.string() }),
  maxAttempts: 3,
  run: async (ctx, payload) => {
    await ctx.trx!('test_job_effects').insert({ job: payload.label, worker: ctx.jobId });
    if (failuresLeft-- > 0) throw new Error('printer is off');
  },
});

const backends = [
  { name: 'sqlite', databaseUrl: () => undefined as string | undefined },
  { name: 'postgres', databaseUrl: () => pg.url },
];
let pg: TestDatabase;
beforeAll(async () => {
  pg = await createTestDatabase(inject('pgUrl'));
});
afterAll(async () => {
  await pg?.drop();
});

describe.each(backends)('durable jobs on $name', ({ name, databaseUrl }) => {
  let server: TestServer;
  let admin: ApiClient;
  let estateId: string;
  let knex: Knex;
  // The runners' clock starts at the real now (jobs are enqueued at the real now) and is moved on by the tests.
  let clock = new Date();
  const runner = (workerId: string, app = server.app) => new JobRunner(app, { jobs: [recordEffect, flaky], now: () => clock, workerId });
  const effects = async (label: string) => (await knex('test_job_effects').where({ job: label }).count({ n: '*' }))[0].n;

  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: databaseUrl() });
    ({ client: admin, estateId } = await setupEstate(server.url));
    // The owner's connection: it creates the test's table, and reads jobs of every estate.
    knex = server.db.knex;
    await effectsTable(knex);
    clock = new Date(Date.now() + 1000);
  });
  afterAll(async () => {
    await server?.close();
  });
  // Jobs are enqueued at the real now: keep the runners' clock ahead of it however long the earlier tests took.
  beforeEach(() => {
    clock = new Date(Math.max(clock.getTime(), Date.now() + 1000));
  });

  it('exists only if the write that enqueued it committed, and a dedupe key makes one job of many enqueues', async () => {
    await expect(
      inTransaction(knex, async (trx) => {
        await enqueueJob(trx, recordEffect, { label: 'rolled-back' }, { estateId });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await knex('jobs').where({ name: recordEffect.name }).whereLike('payload', '%rolled-back%').count({ n: '*' })).toEqual([
      { n: 0 },
    ]);

    const results = await Promise.all(
      Array.from({ length: 10 }, () => enqueueJob(knex, recordEffect, { label: 'slip-1' }, { estateId, key: 'visit-1' })),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.enqueued)).toHaveLength(1);
    // A payload the job's schema refuses is never stored.
    await expect(enqueueJob(knex, recordEffect, { label: 42 } as never, { estateId })).rejects.toThrow();

    const outcomes = await runner('w1').runDue();
    expect(outcomes.filter((o) => o.name === recordEffect.name).map((o) => o.result)).toEqual(['done']);
    expect(Number(await effects('slip-1'))).toBe(1);
    // Enqueuing the same key again after it ran does not run it again.
    expect((await enqueueJob(knex, recordEffect, { label: 'slip-1' }, { estateId, key: 'visit-1' })).enqueued).toBe(false);
    expect(await runner('w1').runDue()).toEqual([]);
  });

  it('retries a failing job with backoff, rolls back each failed try, and marks it failed after its last try', async () => {
    failuresLeft = 5;
    const { id } = await enqueueJob(knex, flaky, { label: 'flaky-1' }, { estateId });
    const r = runner('w2');
    expect((await r.runDue()).find((o) => o.id === id)?.result).toBe('retry');
    // Not due again until the backoff has passed.
    expect(await r.runDue()).toEqual([]);
    clock = new Date(clock.getTime() + retryDelayMs(1) + 1);
    expect((await r.runDue()).find((o) => o.id === id)?.result).toBe('retry');
    clock = new Date(clock.getTime() + retryDelayMs(2) + 1);
    expect((await r.runDue()).find((o) => o.id === id)?.result).toBe('failed');
    // Each failed try's writes were rolled back with it.
    expect(Number(await effects('flaky-1'))).toBe(0);

    const failed = await admin.get(`/estates/${estateId}/jobs?status=failed`);
    expect(failed.status).toBe(200);
    expect(failed.body.items).toEqual([
      expect.objectContaining({ id, name: 'test.flaky', status: 'failed', attempts: 3, last_error: 'Error: printer is off' }),
    ]);

    // A guard cannot see or retry jobs; another estate's admin gets 404; only a failed job can be retried.
    const guard = await userWithRole(server.url, admin, estateId, 'guard');
    expect((await guard.client.get(`/estates/${estateId}/jobs`)).status).toBe(403);
    expect((await guard.client.post(`/estates/${estateId}/jobs/${id}/retry`)).status).toBe(403);
    const other = await setupOtherEstate(server.url, admin);
    expect((await other.client.post(`/estates/${other.estateId}/jobs/${id}/retry`)).status).toBe(404);
    const retried = await admin.post(`/estates/${estateId}/jobs/${id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await admin.post(`/estates/${estateId}/jobs/${id}/retry`)).body.error.code).toBe('JOB_NOT_FAILED');

    failuresLeft = 0;
    expect((await r.runDue()).find((o) => o.id === id)?.result).toBe('done');
    expect(Number(await effects('flaky-1'))).toBe(1);
  });

  it('goes back to the queue when its runner dies, and the dead runner cannot finish it afterwards', async () => {
    const { id } = await enqueueJob(knex, recordEffect, { label: 'orphan' }, { estateId });
    // A runner claims it and "dies": its claim stays, with a lease.
    await knex('jobs')
      .where({ id })
      .update({ status: 'running', locked_by: 'dead-worker', locked_until: new Date(clock.getTime() + 60_000).toISOString(), attempts: 1 });
    expect((await runner('w3').runDue()).find((o) => o.id === id)).toBeUndefined();
    clock = new Date(clock.getTime() + 61_000);
    expect((await runner('w3').runDue()).find((o) => o.id === id)?.result).toBe('done');
    expect(Number(await effects('orphan'))).toBe(1);
    const row = await knex('jobs').where({ id }).first();
    expect(row).toMatchObject({ status: 'done', attempts: 2 });
    // The dead runner, were it to wake up, can no longer mark it done.
    expect(await completeJob(knex, id, 'dead-worker', clock)).toBe(false);
  });

  it('stores a webhook once however often it is delivered, and processes it once', async () => {
    const processed: string[] = [];
    const processWebhook = defineJob({
      name: 'test.process-webhook',
      schema: z.object({ webhook_event_id: z.string() }),
      run: async (ctx, payload) => {
        processed.push(payload.webhook_event_id);
        await markWebhookProcessed(ctx.trx!, payload.webhook_event_id);
      },
    });
    const delivery = {
      provider: 'xendit',
      eventId: `evt_${name}_1`,
      estateId,
      headers: { 'x-callback-token': 'x' },
      body: '{"status":"PAID"}',
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => receiveWebhook(knex, delivery, processWebhook)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    await new JobRunner(server.app, { jobs: [processWebhook], now: () => clock, workerId: 'w4' }).runDue();
    expect(processed).toEqual([results[0].id]);
    expect(await knex('webhook_events').where({ id: results[0].id }).first()).toMatchObject({
      status: 'processed',
      body: '{"status":"PAID"}',
    });
  });

  it('lets only one of several processes plan the schedules, and never runs a job twice', async () => {
    // Separate connection pools stand for separate server processes on the same database.
    const others =
      name === 'postgres'
        ? [
            openDatabase({ dataDir: server.dataDir, databaseUrl: databaseUrl() }),
            openDatabase({ dataDir: server.dataDir, databaseUrl: databaseUrl() }),
          ]
        : [];
    try {
      const apps = [server.app, ...others.map((db) => ({ ...server.app, db }))];
      let planned = 0;
      const schedule = defineSchedule({
        name: 'test-plan',
        everyMs: 60_000,
        plan: async () => {
          planned++;
        },
      });
      const planners = apps.map(
        (app, i) => new JobRunner(app, { jobs: [recordEffect], schedules: [schedule], now: () => clock, workerId: `planner-${i}` }),
      );
      await Promise.all(planners.map((p) => p.planSchedules()));
      expect(planned).toBe(1);
      await Promise.all(planners.map((p) => p.stop()));

      const labels = Array.from({ length: 120 }, (_, i) => `many-${i}`);
      for (const label of labels) await enqueueJob(knex, recordEffect, { label }, { estateId });
      const workers = apps.flatMap((app, i) =>
        [0, 1].map((j) => new JobRunner(app, { jobs: [recordEffect], now: () => clock, workerId: `worker-${i}-${j}`, batch: 3 })),
      );
      const outcomes = (await Promise.all(workers.map((w) => w.runDue(100)))).flat();
      expect(outcomes.filter((o) => o.result === 'done')).toHaveLength(labels.length);
      const rows = await knex('test_job_effects').whereLike('job', 'many-%').select('job');
      expect(rows).toHaveLength(labels.length);
      expect(new Set(rows.map((r: { job: string }) => r.job)).size).toBe(labels.length);
    } finally {
      for (const db of others) await db.close();
    }
  });
});

/** A second estate with its own administrator (not a platform admin). */
async function setupOtherEstate(url: string, platform: ApiClient) {
  const estate = (await platform.post('/estates', { name: `Perumahan Lain ${Math.random().toString(36).slice(2, 6)}` })).body.id as string;
  const email = `admin-${estate.slice(-6)}@lain.id`;
  await platform.post(`/estates/${estate}/users`, { name: 'Admin Lain', email, role: 'estate_admin', password: 'admin-lain-rahasia' });
  const client = apiClient(url);
  await client.post('/auth/login', { login: email, password: 'admin-lain-rahasia' });
  return { client, estateId: estate };
}

describe('the job registry', () => {
  it('lists every job defined in the server, so none is enqueued that no runner would claim', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { allJobs } = await import('../../server/jobs/registry.ts');
    const defined: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
          for (const m of fs.readFileSync(full, 'utf8').matchAll(/defineJob\(\{\s*name:\s*'([^']+)'/g)) defined.push(m[1]);
        }
      }
    };
    walk(path.resolve(__dirname, '../../server'));
    expect(defined.length).toBeGreaterThanOrEqual(4);
    expect(allJobs.map((j) => j.name).sort()).toEqual([...defined].sort());
  });
});
