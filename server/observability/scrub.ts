/**
 * Masks what must not reach a log in free text (error messages and stacks): e-mail addresses, phone numbers, bearer
 * credentials and long token-like strings. Ids (UUIDs) stay: they name rows without naming anyone, and finding the
 * row is what a log line is for.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const BEARER = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;
// Indonesian numbers as people type them: +62 / 62 / 0 then 8–13 more digits, maybe spaced or dashed.
const PHONE = /(?<![\w/])(?:\+?62|0)[\s-]?8(?:[\s-]?\d){6,12}(?!\w)/g;
// Session, device and sync tokens, invite (16 characters) and reset codes: long runs of token alphabet mixing
// letters and digits.
const TOKEN = /[A-Za-z0-9_-]{16,}/g;

export function scrubText(text: string): string {
  return text
    .replace(BEARER, '$1 [redacted]')
    .replace(EMAIL, '[email]')
    .replace(PHONE, '[phone]')
    .replace(TOKEN, (run) => (UUID.test(run) || !/\d/.test(run) || !/[a-z]/i.test(run) ? run : '[token]'));
}
