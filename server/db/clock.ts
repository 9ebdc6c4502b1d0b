/** All stored times are UTC ISO-8601 strings; the estate's time zone is applied only for periods and display. */
export function nowIso(): string {
  return new Date().toISOString();
}
