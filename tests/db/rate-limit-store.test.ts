// The sign-in rate limit's counters in the database: the same answers on SQLite and PostgreSQL, parallel requests
// all counted, windows that end start again, and ended windows cleaned away.
import type { Options } from 'express-rate-limit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseRateLimitStore } from '../../server/auth/rate-limit-store.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(BACKENDS)('rate-limit store on $name', (backend) => {
  let opened: OpenedBackend;
  beforeEach(async () => {
    opened = await backend.open();
    await migrateToLatest(opened.db);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  function store(prefix: string, windowMs: number) {
    const s = new DatabaseRateLimitStore(opened.db.knex, prefix);
    s.init({ windowMs } as Options);
    return s;
  }

  it('counts parallel hits once each, per limiter and key', async () => {
    const s = store('password', 60_000);
    const counts = await Promise.all(Array.from({ length: 20 }, () => s.increment('10.0.0.1')));
    expect(counts.map((c) => c.totalHits).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(counts.every((c) => c.resetTime!.getTime() > Date.now())).toBe(true);
    expect((await s.get('10.0.0.1'))?.totalHits).toBe(20);
    // A second store on the same database (another process) sees the same counter; another limiter has its own.
    expect((await store('password', 60_000).increment('10.0.0.1')).totalHits).toBe(21);
    expect((await store('invite-lookup', 60_000).increment('10.0.0.1')).totalHits).toBe(1);
    expect((await s.increment('10.0.0.2')).totalHits).toBe(1);
    await s.decrement('10.0.0.1');
    expect((await s.get('10.0.0.1'))?.totalHits).toBe(20);
    await s.resetKey('10.0.0.1');
    expect(await s.get('10.0.0.1')).toBeUndefined();
  });

  it('starts a new window when the stored one has ended, and deletes ended windows', async () => {
    const s = store('password', 300);
    await s.increment('10.0.0.1');
    await s.increment('10.0.0.1');
    await s.increment('10.0.0.9');
    await sleep(350);
    expect(await s.get('10.0.0.1')).toBeUndefined();
    // A fresh store sweeps on its first hit: the ended window of 10.0.0.9 goes, 10.0.0.1 restarts at one.
    const next = store('password', 300);
    expect((await next.increment('10.0.0.1')).totalHits).toBe(1);
    const keys = (await opened.db.knex('rate_limit_hits').select('key')).map((r: { key: string }) => r.key);
    expect(keys).toEqual(['password:10.0.0.1']);
  });
});
