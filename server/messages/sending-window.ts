import { zoneOffsetMs } from '../calendar/calendar.ts';

/**
 * When a WhatsApp gateway message may go out: outside the estate's quiet hours (local time), within the per-minute
 * and per-day limits that keep the estate's number from being flagged as a spammer, and a few seconds apart at random
 * so the sending does not look like a machine. Pure: the caller counts what was sent and supplies the randomness.
 */
export interface SendingRules {
  /** Local "HH:MM"; quiet from `quiet_from` until `quiet_to` (may span midnight). Null: never quiet. */
  quiet_from: string | null;
  quiet_to: string | null;
  per_minute: number;
  per_day: number;
  /** Random spacing between two messages, in seconds. */
  min_gap_s: number;
  max_gap_s: number;
}

export const DEFAULT_SENDING_RULES: SendingRules = {
  quiet_from: '21:00',
  quiet_to: '07:00',
  per_minute: 10,
  per_day: 300,
  min_gap_s: 3,
  max_gap_s: 12,
};

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Minutes since local midnight of `at` in `zone`. */
function localMinutes(at: Date, zone: string): number {
  const local = new Date(at.getTime() + zoneOffsetMs(zone, at.getTime()));
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

/** Null when `at` is outside the quiet hours, else the instant they end. */
export function quietUntil(at: Date, zone: string, rules: Pick<SendingRules, 'quiet_from' | 'quiet_to'>): Date | null {
  if (!rules.quiet_from || !rules.quiet_to) return null;
  const from = minutesOf(rules.quiet_from);
  const to = minutesOf(rules.quiet_to);
  if (from === to) return null;
  const now = localMinutes(at, zone);
  const quiet = from < to ? now >= from && now < to : now >= from || now < to;
  if (!quiet) return null;
  const wait = (to - now + 1440) % 1440;
  const end = new Date(at.getTime() + wait * 60_000);
  end.setUTCSeconds(0, 0);
  return end;
}

export interface SentCounts {
  lastMinute: number;
  today: number;
  /** When the newest message on this channel went out, if any. */
  lastSentAt: Date | null;
}

/**
 * Null when a message may go now; else the instant to try again. `random` is in [0, 1).
 */
export function nextSendingSlot(
  at: Date,
  zone: string,
  rules: SendingRules,
  counts: SentCounts,
  random: number,
  startOfNextDay: Date,
): Date | null {
  const quiet = quietUntil(at, zone, rules);
  if (quiet) return new Date(quiet.getTime() + Math.floor(random * 60_000));
  if (counts.today >= rules.per_day) return new Date(startOfNextDay.getTime() + Math.floor(random * 60_000));
  const gapMs = Math.round((rules.min_gap_s + random * Math.max(0, rules.max_gap_s - rules.min_gap_s)) * 1000);
  if (counts.lastMinute >= rules.per_minute) return new Date(at.getTime() + 60_000 + gapMs);
  if (rules.min_gap_s > 0 && counts.lastSentAt && at.getTime() - counts.lastSentAt.getTime() < rules.min_gap_s * 1000) {
    return new Date(counts.lastSentAt.getTime() + gapMs);
  }
  return null;
}
