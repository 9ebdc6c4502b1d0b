/**
 * All stored times are UTC ISO-8601 strings. Which day or period an instant belongs to is the estate calendar's
 * question: see calendar/calendar.ts.
 */
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
