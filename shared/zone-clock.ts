/**
 * The wall clock of an instant in an IANA time zone, through Intl. The server's calendar and the renderer's date
 * formatting both read an estate's local time from here, so the two can never disagree on it. Pure: no imports.
 */
export type WallClock = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // Throws RangeError for a zone the runtime does not know.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function wallClockAt(zone: string, ms: number): WallClock {
  const out: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out as WallClock;
}
