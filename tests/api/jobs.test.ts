import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { openDatabase } from '../../server/db/knex.ts';
import { sqliteTransaction } from '../../server/db/sqlite-direct.ts';
import type { AppContext } from '../../server/http/app-context.ts';
import { defineJob, defineSchedule, retryDelayMs } from '../../server/jobs/define-job.ts';
import { completeJob, enqueueJob } from '../../server/jobs/job-queue.ts';
import { JobRunner, jobConcurrencyFromEnv, type RunOutcome } from '../../server/jobs/job-runner.ts';
import { holdJobHere } from '../../server/jobs/wakeup.ts';
import { platformKnex } from '../../server/db/platform-store.ts';
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

/**
 * A slow gateway: it holds every request until `gather` are waiting together or none has arrived for `idleMs`, and
 * keeps, per label, the most requests it held at once while that label's was held.
 */
async function slowGateway(gather: number, idleMs: number) {
  const held = new Map<string, () => void>();
  const alongside = new Map<string, number>();
  let highWater = 0;
  let timer: NodeJS.Timeout | null = null;
  const releaseAll = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    for (const answer of [...held.values()]) answer();
  };
  const server = http.createServer((req, res) => {
    const label = new URL(req.url ?? '/', 'http://gateway').searchParams.get('label') ?? '';
    held.set(label, () => {
      held.delete(label);
      res.end('{"status":"PAID"}');
    });
    highWater = Math.max(highWater, held.size);
    for (const l of held.keys()) alongside.set(l, Math.max(alongside.get(l) ?? 0, held.size));
    if (timer) clearTimeout(timer);
    timer = null;
    if (held.size >= gather) releaseAll();
    else timer = setTimeout(releaseAll, idleMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/charge`,
    highWater: () => highWater,
    alongside: (label: string) => alongside.get(label),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Labels of the jobs running now in this test process (every runner), and any label seen starting twice at once. */
const runningNow = new Set<string>();
const ranTwiceAtOnce: string[] = [];

async function askGateway(ctx: { app: AppContext; jobId: string; trx: Knex | null }, payload: { label: string; url: string }) {
  if (runningNow.has(payload.label)) ranTwiceAtOnce.push(payload.label);
  runningNow.add(payload.label);
  try {
    await (await fetch(`${payload.url}?label=${encodeURIComponent(payload.label)}`)).text();
    await (ctx.trx ?? platformKnex(ctx.app.db.knex))('test_job_effects').insert({ job: payload.label, worker: ctx.jobId });
  } finally {
    runningNow.delete(payload.label);
  }
}

/** Waits on the gateway like a webhook's re-read, its write its own: may overlap. */
const gatewayRead = defineJob({
  name: 'test.gateway-read',
  schema: z.object({ label: z.string(), url: z.string() }),
  transactional: false,
  overlaps: true,
  run: askGateway,
});

/** Calls the same gateway but is not declared to overlap: it must run alone. */
const aloneGatewayRead = defineJob({
  name: 'test.gateway-read-alone',
  schema: z.object({ label: z.string(), url: z.string() }),
  run: async (ctx, payload) => {
    if (runningNow.size) ranTwiceAtOnce.push(`${payload.label} beside ${[...runningNow].join(',')}`);
    await askGateway(ctx, payload);
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
    ranTwiceAtOnce.length = 0;
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

  it('overlaps jobs that wait on the gateway up to its concurrency, and runs a job not declared to overlap alone', async () => {
    const gateway = await slowGateway(8, 400);
    try {
      const labels: string[] = [];
      for (let i = 0; i < 8; i++) labels.push((await enqueue(gatewayRead, `wave-${i}`, gateway.url)).label);
      await enqueue(aloneGatewayRead, 'alone', gateway.url);
      for (let i = 8; i < 11; i++) labels.push((await enqueue(gatewayRead, `wave-${i}`, gateway.url)).label);
      const r = new JobRunner(server.app, {
        jobs: [gatewayRead, aloneGatewayRead],
        now: () => clock,
        workerId: 'overlap-1',
        concurrency: 8,
      });
      const outcomes = await r.runDue();
      expect(outcomes.map((o) => o.result)).toEqual(Array(12).fill('done'));
      // All eight of the first wave were at the gateway at once (one at a time before), and never more than eight.
      expect(gateway.highWater()).toBe(8);
      // Nothing reached the gateway while the job that must run alone was there.
      expect(gateway.alongside('alone')).toBe(1);
      expect(ranTwiceAtOnce).toEqual([]);
      for (const label of [...labels, 'alone']) expect(Number(await effects(label))).toBe(1);
    } finally {
      await gateway.close();
    }
  });

  it('never runs a job twice at once while runners of several processes overlap their jobs', async () => {
    const others =
      name === 'postgres'
        ? [
            openDatabase({ dataDir: server.dataDir, databaseUrl: databaseUrl() }),
            openDatabase({ dataDir: server.dataDir, databaseUrl: databaseUrl() }),
          ]
        : [];
    const gateway = await slowGateway(6, 20);
    try {
      const apps = [server.app, ...others.map((db) => ({ ...server.app, db }))];
      const labels: string[] = [];
      for (let i = 0; i < 60; i++)
        labels.push((await enqueue(i % 10 === 9 ? aloneGatewayRead : gatewayRead, `side-${i}`, gateway.url)).label);
      const workers = apps.flatMap((app, i) =>
        [0, 1].map(
          (j) =>
            new JobRunner(app, { jobs: [gatewayRead, aloneGatewayRead], now: () => clock, workerId: `side-${i}-${j}`, concurrency: 4 }),
        ),
      );
      const outcomes = (await Promise.all(workers.map((w) => w.runDue(100)))).flat();
      expect(outcomes.filter((o) => o.result === 'done')).toHaveLength(labels.length);
      // Runners of one process may still run side by side (each alone job is alone in its own runner only).
      expect(ranTwiceAtOnce.filter((l) => !l.includes(' beside '))).toEqual([]);
      const rows = await knex('test_job_effects').whereLike('job', 'side-%').select('job');
      expect(rows).toHaveLength(labels.length);
      expect(new Set(rows.map((r: { job: string }) => r.job)).size).toBe(labels.length);
      expect(gateway.highWater()).toBeGreaterThan(1);
    } finally {
      await gateway.close();
      for (const db of others) await db.close();
    }
  });

  it('works through a stream of jobs without writing its scheduler lease or sweeping leases on every round', async () => {
    let planned = 0;
    const schedule = defineSchedule({
      name: 'test-lease-quiet',
      everyMs: 60_000,
      plan: async () => {
        planned++;
      },
    });
    // The real clock: a started runner plans one interval after its start, so nothing here is due.
    const worker = new JobRunner(server.app, { jobs: [recordEffect], schedules: [schedule], workerId: `quiet-${name}`, pollMs: 50 });
    const lease = async () =>
      (await knex('job_leases').where({ name: 'scheduler' }).first('holder', 'expires_at')) as
        | { holder: string; expires_at: string }
        | undefined;
    worker.start();
    try {
      const deadline = Date.now() + 10_000;
      while ((await lease())?.holder !== `quiet-${name}` && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const held = await lease();
      expect(held?.holder).toBe(`quiet-${name}`);
      // One job at a time, each enqueued after the last finished: every one is a round of its own.
      for (let i = 0; i < 15; i++) {
        await enqueueJob(knex, recordEffect, { label: `quiet-${name}-${i}` }, { estateId });
        const until = Date.now() + 10_000;
        while (Number(await effects(`quiet-${name}-${i}`)) < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
        expect(Number(await effects(`quiet-${name}-${i}`))).toBe(1);
      }
      // Renewed at most every 10 s (its lease runs two minutes), not by each of the rounds above.
      expect(await lease()).toEqual(held);
      expect(planned).toBe(0);
    } finally {
      await worker.stop();
    }
    expect(await lease()).toBeUndefined();
  });

  it('runs a job enqueued with a slot of this process’s runner without a claim, and a held job whose process died is run once after its lease', async () => {
    // A job quick to run: the gateway answers at once.
    const gateway = await slowGateway(1, 0);
    const worker = new JobRunner(server.app, {
      jobs: [gatewayRead, aloneGatewayRead],
      workerId: `holder-${name}`,
      concurrency: 2,
      pollMs: 3_600_000,
    });
    const outcomes: RunOutcome[] = [];
    // The runner offers its slots to whoever enqueues through its own database handle (on PostgreSQL the app's role).
    const appKnex = server.app.db.knex;
    worker.onOutcome((o) => outcomes.push(o));
    try {
      // No runner started: no slot; a job that must run alone, or one the runner does not know: no slot either.
      expect(holdJobHere(appKnex, gatewayRead.name)).toBeNull();
      worker.start();
      expect(holdJobHere(appKnex, aloneGatewayRead.name)).toBeNull();
      expect(holdJobHere(appKnex, recordEffect.name)).toBeNull();
      // Another database's enqueuer never gets this runner's slot.
      expect(holdJobHere({}, gatewayRead.name)).toBeNull();

      const hold = holdJobHere(appKnex, gatewayRead.name)!;
      expect(hold.workerId).toBe(`holder-${name}`);
      const label = `held-${name}`;
      const { held } = await inTransaction(platformKnex(appKnex), (trx) =>
        enqueueJob(trx, gatewayRead, { label, url: gateway.url }, { estateId, hold }),
      );
      // Written claimed by the runner: no other runner can take it.
      expect(await knex('jobs').where({ id: held!.id }).first()).toMatchObject({
        status: 'running',
        attempts: 1,
        locked_by: `holder-${name}`,
      });
      // (The real clock: the tests' clock is minutes ahead, past the lease.)
      const thief = new JobRunner(server.app, { jobs: [gatewayRead], workerId: `thief-${name}` });
      expect((await thief.runDue()).find((o) => o.id === held!.id)).toBeUndefined();
      hold.start(held!);
      // Starting it twice runs it once.
      hold.start(held!);
      const until = Date.now() + 10_000;
      while (!outcomes.some((o) => o.id === held!.id) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      expect(outcomes.filter((o) => o.id === held!.id)).toEqual([{ id: held!.id, name: gatewayRead.name, result: 'done' }]);
      expect(Number(await effects(label))).toBe(1);
      expect(await knex('jobs').where({ id: held!.id }).first()).toMatchObject({ status: 'done', attempts: 1, locked_by: null });

      // Slots run out at the runner's concurrency, and come back when released.
      const a = holdJobHere(appKnex, gatewayRead.name)!;
      const b = holdJobHere(appKnex, gatewayRead.name)!;
      expect(holdJobHere(appKnex, gatewayRead.name)).toBeNull();
      a.release();
      a.release();
      const c = holdJobHere(appKnex, gatewayRead.name)!;
      expect(c).not.toBeNull();
      expect(holdJobHere(appKnex, gatewayRead.name)).toBeNull();

      // The process "dies" after the enqueuing transaction committed and before the job started: its lease stays.
      const orphan = `held-orphan-${name}`;
      const { id } = await enqueueJob(platformKnex(appKnex), gatewayRead, { label: orphan, url: gateway.url }, { estateId, hold: b });
      const other = () => new JobRunner(server.app, { jobs: [gatewayRead], now: () => clock, workerId: `heir-${name}` });
      clock = new Date();
      expect((await other().runDue()).find((o) => o.id === id)).toBeUndefined();
      clock = new Date(clock.getTime() + 61_000);
      expect((await other().runDue()).filter((o) => o.id === id).map((o) => o.result)).toEqual(['done']);
      expect(Number(await effects(orphan))).toBe(1);
      expect(await knex('jobs').where({ id }).first()).toMatchObject({ status: 'done', attempts: 2 });
      // Both slots held: a job enqueued now waits in the queue, and is claimed as soon as a slot comes back (the
      // runner's poll is an hour); until then a new job is not let past it.
      const queued = `held-queued-${name}`;
      await enqueueJob(platformKnex(appKnex), gatewayRead, { label: queued, url: gateway.url }, { estateId });
      await new Promise((r) => setTimeout(r, 200));
      expect(Number(await effects(queued))).toBe(0);
      c.release();
      expect(holdJobHere(appKnex, gatewayRead.name)).toBeNull();
      const claimedBy = Date.now() + 10_000;
      while (Number(await effects(queued)) < 1 && Date.now() < claimedBy) await new Promise((r) => setTimeout(r, 5));
      expect(Number(await effects(queued))).toBe(1);
      b.release();
    } finally {
      await worker.stop();
      await gateway.close();
    }
    // A stopped runner offers no slot.
    expect(holdJobHere(appKnex, gatewayRead.name)).toBeNull();
  });

  it('processes a stored webhook in the receiving process at once, and once however often it is delivered', async () => {
    const processed: string[] = [];
    const processWebhook = defineJob({
      name: 'test.process-webhook-here',
      schema: z.object({ webhook_event_id: z.string() }),
      transactional: false,
      overlaps: true,
      run: async (ctx, payload) => {
        processed.push(payload.webhook_event_id);
        await inTransaction(platformKnex(ctx.app.db.knex), (trx) => markWebhookProcessed(trx, payload.webhook_event_id));
      },
    });
    const worker = new JobRunner(server.app, { jobs: [processWebhook], workerId: `webhooks-${name}`, pollMs: 3_600_000 });
    worker.start();
    try {
      const delivery = { provider: 'xendit', eventId: `evt_${name}_here`, estateId, headers: {}, body: '{"status":"PAID"}' };
      const results = await Promise.all(Array.from({ length: 6 }, () => receiveWebhook(server.app.db.knex, delivery, processWebhook)));
      const [stored] = results.filter((r) => !r.duplicate);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      const job = await knex('jobs').where({ name: processWebhook.name }).first();
      // Claimed by this runner as it was written, not left for a claim.
      expect(job.attempts).toBe(1);
      const until = Date.now() + 10_000;
      while (processed.length < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      expect(processed).toEqual([stored.id]);
      expect((await knex('webhook_events').where({ id: stored.id }).first()).status).toBe('processed');
    } finally {
      await worker.stop();
    }
    expect(processed).toHaveLength(1);
  });

  async function enqueue(def: typeof gatewayRead, label: string, url: string) {
    await enqueueJob(knex, def, { label, url }, { estateId });
    return { label };
  }
});

describe('the job concurrency setting', () => {
  it('is 8 unless KLUSTERA_JOB_CONCURRENCY says otherwise, and refuses a value that is not a whole number from 1 to 64', () => {
    expect(jobConcurrencyFromEnv(undefined)).toBe(8);
    expect(jobConcurrencyFromEnv('1')).toBe(1);
    expect(jobConcurrencyFromEnv('16')).toBe(16);
    for (const bad of ['0', '65', '2.5', 'many', '-3']) expect(() => jobConcurrencyFromEnv(bad)).toThrow(/KLUSTERA_JOB_CONCURRENCY/);
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
