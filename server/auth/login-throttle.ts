import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { sha256Hex } from './passwords.ts';

/**
 * Who may try a password for an account, and how often.
 *
 * A *source* is where an attempt comes from: the browser's KNOWN_BROWSER_COOKIE when this account signed in from
 * that browser before (`device:<hash>`), otherwise the client address (`ip:<address>`). A source is *known* to an account
 * once a login from it succeeded (within KNOWN_FOR_DAYS); the address of a successful login becomes known too, for
 * clients that keep no cookies (scripts asking for a bearer token).
 *
 * - Each (account, source) pair has its own counter: `threshold` failures in a row lock that source out of that
 *   account.
 * - Failures from unknown sources also count on the account-wide row `*`. When it locks, every unknown source is
 *   refused, but known sources keep only their own counter: someone guessing from elsewhere locks out themself and
 *   strangers, never the treasurer at the office PC where the account is already used.
 * - A lock lasts lockoutMinutes × 2^(locks earlier that day), at most MAX_LOCK_MINUTES.
 * - An attempt first takes a slot with one conditional UPDATE (`failures < threshold` and not locked) and only then
 *   is its password checked, so parallel guesses cannot all be checked before a failure is counted; the counters
 *   live in the database, so they hold across server processes and restarts.
 * The caller runs the scrypt check even for a refused attempt, so a locked account answers as slowly as any other.
 */

export const KNOWN_BROWSER_COOKIE = 'klustera_browser';
const ACCOUNT_WIDE = '*';
const KNOWN_FOR_DAYS = 90;
const MAX_LOCK_MINUTES = 24 * 60;
const DAY_MS = 86_400_000;
/** Failures older than this are forgotten: "in a row" means within a day. */
const FAILURE_MEMORY_MS = DAY_MS;

export interface LoginOrigin {
  ip: string;
  /** The browser's device cookie, when it sent one. */
  deviceToken?: string;
}

export interface ThrottleOptions {
  lockoutThreshold: number;
  lockoutMinutes: number;
}

export interface LoginAttempt {
  /** False when a lock refuses this attempt; the password must still be checked (for timing) and then rejected. */
  allowed: boolean;
  /** Seconds until the refusing lock ends. */
  retryAfterSeconds: number;
  /** Counts the failure; returns the lock length in seconds when this failure locked the source. */
  failed(): Promise<number | null>;
  /** Resets the source's counter and remembers the browser and address as known for the account. */
  succeeded(deviceToken: string): Promise<void>;
}

const isoAgo = (ms: number) => new Date(Date.now() - ms).toISOString();

function deviceKey(token: string): string {
  return `device:${sha256Hex(token)}`;
}

function ipKey(ip: string): string {
  return `ip:${ip.slice(0, 64)}`;
}

export function isPlausibleDeviceToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(value);
}

async function ensureRow(knex: Knex, userId: string, key: string): Promise<void> {
  await knex('login_sources')
    .insert({ id: newId(), user_id: userId, source_key: key, failures: 0, lockouts: 0, created_at: nowIso() })
    .onConflict(['user_id', 'source_key'])
    .ignore();
}

async function isKnown(knex: Knex, userId: string, key: string): Promise<boolean> {
  const row = await knex('login_sources')
    .where({ user_id: userId, source_key: key })
    .where('last_success_at', '>', isoAgo(KNOWN_FOR_DAYS * DAY_MS))
    .first('id');
  return Boolean(row);
}

/** Takes an attempt slot; the failure count including this attempt, or null when the source is locked. */
async function takeSlot(knex: Knex, userId: string, key: string, o: ThrottleOptions): Promise<number | null> {
  await ensureRow(knex, userId, key);
  const now = nowIso();
  // A row left at the threshold without a lock (its process died mid-check) frees itself after one lock period.
  const stuckBefore = isoAgo(o.lockoutMinutes * 60_000);
  const rows = await knex('login_sources')
    .where({ user_id: userId, source_key: key })
    .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<=', now))
    .where((q) => q.where('failures', '<', o.lockoutThreshold).orWhere('last_attempt_at', '<=', stuckBefore))
    .update({
      failures: knex.raw('case when last_attempt_at is null or last_attempt_at <= ? or failures >= ? then 1 else failures + 1 end', [
        isoAgo(FAILURE_MEMORY_MS),
        o.lockoutThreshold,
      ]),
      last_attempt_at: now,
    })
    .returning(['failures']);
  const row = (rows as { failures: number | string }[])[0];
  return row ? Number(row.failures) : null;
}

async function retryAfter(knex: Knex, userId: string, key: string, o: ThrottleOptions): Promise<number> {
  const row = await knex('login_sources').where({ user_id: userId, source_key: key }).first('locked_until');
  const until = row?.locked_until ? Date.parse(row.locked_until) : NaN;
  return Number.isFinite(until) && until > Date.now() ? Math.ceil((until - Date.now()) / 1000) : o.lockoutMinutes * 60;
}

/** Counts a failure that took slot `count`; the one that filled the last slot sets the (progressive) lock. */
async function countFailure(knex: Knex, userId: string, key: string, count: number, o: ThrottleOptions): Promise<number | null> {
  if (count < o.lockoutThreshold) return null;
  const row = await knex('login_sources').where({ user_id: userId, source_key: key }).first('lockouts', 'locked_until');
  const lockedRecently = Boolean(row?.locked_until && row.locked_until > isoAgo(DAY_MS));
  const lockouts = lockedRecently ? Number(row!.lockouts) + 1 : 1;
  const minutes = Math.min(o.lockoutMinutes * 2 ** Math.min(lockouts - 1, 16), MAX_LOCK_MINUTES);
  await knex('login_sources')
    .where({ user_id: userId, source_key: key })
    .update({ failures: 0, lockouts, locked_until: new Date(Date.now() + minutes * 60_000).toISOString() });
  return minutes * 60;
}

export async function beginLoginAttempt(knex: Knex, userId: string, origin: LoginOrigin, o: ThrottleOptions): Promise<LoginAttempt> {
  const device = origin.deviceToken ? deviceKey(origin.deviceToken) : null;
  const sourceKey = device && (await isKnown(knex, userId, device)) ? device : ipKey(origin.ip);
  const known = sourceKey === device || (await isKnown(knex, userId, sourceKey));

  const sourceCount = await takeSlot(knex, userId, sourceKey, o);
  let accountCount: number | null = null;
  let refusedBy: string | null = sourceCount === null ? sourceKey : null;
  if (!refusedBy && !known) {
    accountCount = await takeSlot(knex, userId, ACCOUNT_WIDE, o);
    if (accountCount === null) refusedBy = ACCOUNT_WIDE;
  }

  const failed = async () => {
    let lockedFor: number | null = null;
    if (sourceCount !== null) lockedFor = await countFailure(knex, userId, sourceKey, sourceCount, o);
    if (accountCount !== null) lockedFor = (await countFailure(knex, userId, ACCOUNT_WIDE, accountCount, o)) ?? lockedFor;
    return lockedFor;
  };
  const succeeded = async (deviceToken: string) => {
    const now = nowIso();
    await knex('login_sources')
      .where({ user_id: userId, source_key: sourceKey })
      .update({ failures: 0, lockouts: 0, locked_until: null, last_success_at: now });
    // The account-wide lock keeps its history: one success does not hand a guesser a fresh set of attempts early.
    if (accountCount !== null) await knex('login_sources').where({ user_id: userId, source_key: ACCOUNT_WIDE }).update({ failures: 0 });
    for (const key of new Set([deviceKey(deviceToken), ipKey(origin.ip)])) {
      if (key === sourceKey) continue;
      await ensureRow(knex, userId, key);
      await knex('login_sources').where({ user_id: userId, source_key: key }).update({ last_success_at: now });
    }
  };

  if (refusedBy) {
    // A refused attempt counts against its own source too, so hammering a lock keeps the source locked.
    const retryAfterSeconds = await retryAfter(knex, userId, refusedBy, o);
    return { allowed: false, retryAfterSeconds, failed, succeeded };
  }
  return { allowed: true, retryAfterSeconds: 0, failed, succeeded };
}
