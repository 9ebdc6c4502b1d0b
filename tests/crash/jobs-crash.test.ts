// SIGKILL a process that has just enqueued jobs, and one that is in the middle of running a job; after a restart
// every job runs exactly once — on SQLite and on PostgreSQL.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/knex.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { loadSyncContext } from '../../server/db/sync-context.ts';
import type { AppContext } from '../../server/http/app-context.ts';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { crashEffectJob, createEffectsTable } from './crash-jobs.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'jobs-child.ts');

function killAtReady(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('READY')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended without being killed: ${err}`))));
  });
}

let pg: TestDatabase;
beforeAll(async () => {
  pg = await createTestDatabase(inject('pgUrl'));
});
afterAll(async () => {
  await pg?.drop();
});

describe.each([{ name: 'sqlite' }, { name: 'postgres' }])('jobs across kill -9 on $name', ({ name }) => {
  let dataDir: string;
  let url: string;
  let db: Database;
  let app: AppContext;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-jobs-crash-'));
    url = name === 'postgres' ? pg.url : '';
    db = openDatabase({ dataDir, databaseUrl: url || undefined });
    await migrateToLatest(db);
    await createEffectsTable(db.knex);
    app = { db, sync: await loadSyncContext(db.knex) } as AppContext;
  });
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const effects = async (label: string) => Number((await db.knex('test_job_effects').where({ job: label }).count({ n: '*' }))[0].n);

  it('runs jobs enqueued just before the kill exactly once after restart', async () => {
    await killAtReady(['enqueue', dataDir, url, '25']);
    const runner = new JobRunner(app, { jobs: [crashEffectJob], workerId: 'after-restart' });
    const outcomes = await runner.runDue();
    expect(outcomes.filter((o) => o.result === 'done')).toHaveLength(25);
    for (let i = 0; i < 25; i++) expect(await effects(`enqueued-${i}`)).toBe(1);
    expect(await runner.runDue()).toEqual([]);
  });

  it('runs a job whose process died inside it exactly once, after its lease ran out', async () => {
    const { enqueueJob } = await import('../../server/jobs/job-queue.ts');
    const { id } = await enqueueJob(db.knex, crashEffectJob, { label: 'died-inside' });
    await killAtReady(['run', dataDir, url, '0']);
    // The dead process's transaction never committed: no effect yet, and the job is still claimed by it.
    expect(await effects('died-inside')).toBe(0);
    expect(await db.knex('jobs').where({ id }).first()).toMatchObject({ status: 'running', locked_by: 'doomed' });
    const later = new Date(Date.now() + 3000);
    const outcomes = await new JobRunner(app, { jobs: [crashEffectJob], workerId: 'survivor', now: () => later }).runDue();
    expect(outcomes).toEqual([{ id, name: crashEffectJob.name, result: 'done' }]);
    expect(await effects('died-inside')).toBe(1);
    expect(await db.knex('jobs').where({ id }).first()).toMatchObject({ status: 'done', attempts: 2 });
  });
});
