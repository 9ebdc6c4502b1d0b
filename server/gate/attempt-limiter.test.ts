import { describe, expect, it } from 'vitest';
import { AttemptLimiter } from './attempt-limiter.ts';

const limits = { windowMs: 60_000, maxAttemptsPerWindow: 5, maxConsecutiveFailures: 3, lockoutMs: 300_000 };

describe('AttemptLimiter', () => {
  it('locks a key out after consecutive failures, until the lockout ends', () => {
    const limiter = new AttemptLimiter(limits);
    for (let i = 0; i < 3; i++) {
      expect(limiter.begin('kiosk-1', i).allowed).toBe(true);
      limiter.finish('kiosk-1', i, false);
    }
    expect(limiter.begin('kiosk-1', 10)).toEqual({ allowed: false, retryAfterMs: 300_000 - 8 });
    expect(limiter.begin('kiosk-2', 10).allowed).toBe(true);
    expect(limiter.begin('kiosk-1', 2 + 300_000).allowed).toBe(true);
  });

  it('resets the failure streak on success', () => {
    const limiter = new AttemptLimiter(limits);
    for (const ok of [false, false, true, false, false]) {
      expect(limiter.begin('k', 0).allowed).toBe(true);
      limiter.finish('k', 0, ok);
    }
  });

  it('rate-limits attempts in the window even when they succeed, then lets them through again', () => {
    const limiter = new AttemptLimiter(limits);
    for (let i = 0; i < 5; i++) {
      expect(limiter.begin('k', i * 1000).allowed).toBe(true);
      limiter.finish('k', i * 1000, true);
    }
    const refused = limiter.begin('k', 5000);
    expect(refused.allowed).toBe(false);
    expect(limiter.begin('k', 60_001).allowed).toBe(true);
  });
});
