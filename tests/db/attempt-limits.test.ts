// Guessing limits for typed codes and PINs, in the database: the same answers on SQLite and PostgreSQL, under
// parallel attempts, from two server processes, and after a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { AttemptLimiter } from '../../server/gate/attempt-limiter.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';

const limits = { windowMs: 60_000, maxAttemptsPerWindow: 5, maxConsecutiveFailures: 3, lockoutMs: 300_000 };

describe.each(BACKENDS)('attempt limits on $name', (backend) => {
  let opened: OpenedBackend;
  beforeEach(async () => {
    opened = await backend.open();
    await migrateToLatest(opened.db);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('locks a key out after consecutive failures, until the lockout ends, and keys apart', async () => {
    const knex = opened.db.knex;
    const limiter = new AttemptLimiter('test', limits);
    for (let i = 0; i < 3; i++) {
      expect((await limiter.begin(knex, 'kiosk-1', i)).allowed).toBe(true);
      await limiter.finish(knex, 'kiosk-1', i, false);
    }
    expect(await limiter.begin(knex, 'kiosk-1', 10)).toEqual({ allowed: false, retryAfterMs: 2 + 300_000 - 10 });
    expect((await limiter.begin(knex, 'kiosk-2', 10)).allowed).toBe(true);
    // Another limiter's key of the same name is its own.
    expect((await new AttemptLimiter('other', limits).begin(knex, 'kiosk-1', 10)).allowed).toBe(true);
    expect((await limiter.begin(knex, 'kiosk-1', 2 + 300_000)).allowed).toBe(true);
  });

  it('resets the failure streak on success', async () => {
    const knex = opened.db.knex;
    const limiter = new AttemptLimiter('test', { ...limits, maxAttemptsPerWindow: 100 });
    for (const ok of [false, false, true, false, false]) {
      expect((await limiter.begin(knex, 'k', 0)).allowed).toBe(true);
      await limiter.finish(knex, 'k', 0, ok);
    }
    expect((await limiter.begin(knex, 'k', 0)).allowed).toBe(true);
  });

  it('rate-limits attempts in the window even when they succeed, then lets them through again', async () => {
    const knex = opened.db.knex;
    const limiter = new AttemptLimiter('test', limits);
    for (let i = 0; i < 5; i++) {
      expect((await limiter.begin(knex, 'k', i * 1000)).allowed).toBe(true);
      await limiter.finish(knex, 'k', i * 1000, true);
    }
    expect(await limiter.begin(knex, 'k', 5000)).toEqual({ allowed: false, retryAfterMs: 55_000 });
    expect((await limiter.begin(knex, 'k', 60_001)).allowed).toBe(true);
  });

  it('counts parallel attempts exactly, also from a second process, and keeps a lockout across a restart', async () => {
    const limiter = new AttemptLimiter('test', { ...limits, maxAttemptsPerWindow: 10 });
    // On PostgreSQL a second connection pool stands for a second server process; SQLite has one writer per file.
    const second = backend.name === 'postgres' ? opened.reopen() : opened.db;
    const decisions = await Promise.all(
      Array.from({ length: 30 }, (_, i) => limiter.begin(i % 2 ? second.knex : opened.db.knex, 'burst', 1000)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);

    for (let i = 0; i < 3; i++) {
      await limiter.begin(opened.db.knex, 'locked', 2000);
      await limiter.finish(opened.db.knex, 'locked', 2000, false);
    }
    if (second !== opened.db) await second.close();
    await opened.db.close();
    const restarted = opened.reopen();
    expect((await limiter.begin(restarted.knex, 'locked', 3000)).allowed).toBe(false);
  });
});
