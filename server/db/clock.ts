import { DateTime } from 'luxon';
/** All stored times are UTC ISO-8601 strings; the estate's time zone is applied only for periods and display. */
export function nowIso(): string {
  return new Date().toISOString();
}

// An instant written the way this program writes them (toISOString) or with an explicit offset: Date.parse reads
// these exactly, without guessing a zone.
const EXPLICIT_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of an ISO-8601 instant with `Z` or an offset, or NaN for anything else. */
export function parseExplicitInstant(iso: string): number {
  return EXPLICIT_INSTANT.test(iso) ? Date.parse(iso) : Number.NaN;
}

const BUCKET_MS = 15 * 60_000;
const offsets = new Map<string, number>();
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // Throws RangeError for a zone the runtime does not know.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * The zone's offset from UTC in milliseconds at `ms`. Zones change offset only on quarter-hour boundaries of UTC,
 * so the answer is computed once per zone and quarter hour (an estate asks about the same few quarter hours over
 * and over) instead of through Intl on every call.
 */
export function zoneOffsetMs(zone: string, ms: number): number {
  const bucketStart = Math.floor(ms / BUCKET_MS) * BUCKET_MS;
  const key = `${zone}|${bucketStart}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const parts: Record<string, number> = {};
    for (const p of formatterFor(zone).formatToParts(bucketStart)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - bucketStart;
    if (offsets.size >= 10_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The calendar day ("YYYY-MM-DD") the instant `ms` falls on in `zone`. */
export function localDateAt(ms: number, zone: string): string {
  const local = new Date(ms + zoneOffsetMs(zone, ms));
  const y = local.getUTCFullYear();
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${String(local.getUTCMonth() + 1).padStart(2, '0')}-${String(local.getUTCDate()).padStart(2, '0')}`;
}

/** The estate-local calendar day of an ISO-8601 instant (no offset written means UTC). */
export function localDateOfIso(iso: string, zone: string): string {
  const ms = parseExplicitInstant(iso);
  if (!Number.isNaN(ms)) return localDateAt(ms, zone);
  const dt = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  if (!dt.isValid) throw new RangeError(`not an ISO-8601 instant: ${iso}`);
  return dt.toISODate()!;
}
