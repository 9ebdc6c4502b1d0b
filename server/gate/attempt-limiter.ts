import type { Knex } from 'knex';
import { rawRows } from '../db/sqlite-direct.ts';

/**
 * Guessing protection for short secrets typed at the gate (6/8-digit pass codes, guard PINs, pairing codes). A 6-digit
 * code has a million values; a script on a paired kiosk could walk them in minutes without this. Two limits per key (a
 * device, or a device + guard): a rate limit on all attempts in a fixed window, and a lockout after consecutive
 * failures. The state lives in the database and every step is one conditional statement, so the limits hold for any
 * number of server processes on one PostgreSQL, for parallel requests, and across restarts.
 */
export interface AttemptLimits {
  windowMs: number;
  maxAttemptsPerWindow: number;
  maxConsecutiveFailures: number;
  lockoutMs: number;
}

export const CODE_LIMITS: AttemptLimits = {
  windowMs: 60_000,
  maxAttemptsPerWindow: 20,
  maxConsecutiveFailures: 5,
  lockoutMs: 5 * 60_000,
};

export type AttemptDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

// One statement takes a slot: a new key starts a window; an existing one starts a new window when the old one is over,
// or counts on in the current one, but only while it is neither locked nor full. No row back means refused.
const BEGIN_SQL =
  'insert into "attempt_limits" ("key", "window_start_ms", "window_count", "failures", "locked_until_ms") values (?, ?, 1, 0, 0) ' +
  'on conflict ("key") do update set ' +
  '"window_count" = case when "attempt_limits"."window_start_ms" <= ? then 1 else "attempt_limits"."window_count" + 1 end, ' +
  '"window_start_ms" = case when "attempt_limits"."window_start_ms" <= ? then excluded."window_start_ms" else "attempt_limits"."window_start_ms" end ' +
  'where "attempt_limits"."locked_until_ms" <= ? and ("attempt_limits"."window_start_ms" <= ? or "attempt_limits"."window_count" < ?) ' +
  'returning "window_count"';

const STATE_SQL = 'select "window_start_ms", "locked_until_ms" from "attempt_limits" where "key" = ?';

// A failure extends the streak; the one that completes it locks the key and starts the streak again.
const FAIL_SQL =
  'update "attempt_limits" set ' +
  '"locked_until_ms" = case when "failures" + 1 >= ? then ? else "locked_until_ms" end, ' +
  '"failures" = case when "failures" + 1 >= ? then 0 else "failures" + 1 end ' +
  'where "key" = ?';

const SUCCESS_SQL = 'update "attempt_limits" set "failures" = 0 where "key" = ? and "failures" <> 0';

export class AttemptLimiter {
  constructor(
    /** Names this limiter's keys apart from other limiters' (`gate-pin`, `gate-code`, `pairing`). */
    private readonly name: string,
    private readonly limits: AttemptLimits = CODE_LIMITS,
  ) {}

  private keyOf(key: string): string {
    return `${this.name}:${key}`.slice(0, 200);
  }

  /** Call before checking the secret; an allowed attempt is counted against the rate limit at once. */
  async begin(knex: Knex | Knex.Transaction, key: string, nowMs: number): Promise<AttemptDecision> {
    const k = this.keyOf(key);
    const windowOver = nowMs - this.limits.windowMs;
    const taken = await rawRows<{ window_count: number }>(knex, BEGIN_SQL, [
      k,
      nowMs,
      windowOver,
      windowOver,
      nowMs,
      windowOver,
      this.limits.maxAttemptsPerWindow,
    ]);
    if (taken.length) return { allowed: true };
    const [state] = await rawRows<{ window_start_ms: number | string; locked_until_ms: number | string }>(knex, STATE_SQL, [k]);
    const lockedUntil = Number(state?.locked_until_ms ?? 0);
    const windowEnds = Number(state?.window_start_ms ?? nowMs) + this.limits.windowMs;
    return { allowed: false, retryAfterMs: Math.max(1, (lockedUntil > nowMs ? lockedUntil : windowEnds) - nowMs) };
  }

  /** Call after checking the secret. */
  async finish(knex: Knex | Knex.Transaction, key: string, nowMs: number, succeeded: boolean): Promise<void> {
    const k = this.keyOf(key);
    if (succeeded) await rawRows(knex, SUCCESS_SQL, [k]);
    else {
      const max = this.limits.maxConsecutiveFailures;
      await rawRows(knex, FAIL_SQL, [max, nowMs + this.limits.lockoutMs, max, k]);
    }
  }
}
