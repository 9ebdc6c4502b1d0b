/** The languages the server words its error messages in; Indonesian is the source text and the default. */
export const MESSAGE_LANGUAGES = ['id', 'en'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

// A real browser sends a few dozen characters; anything far longer is not worth reading.
const MAX_HEADER_LENGTH = 512;
const MAX_ENTRIES = 20;
const TAG = /^(?:[a-z]{1,8}(?:-[a-z0-9]{1,8})*|\*)$/;
const QUALITY = /^q=(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The language an `Accept-Language` header asks for among those the server has: the highest q-value wins, the
 * earlier entry on a tie, a region (`en-US`) counts for its language, and `q=0` refuses one. A missing, malformed or
 * oversized header, or one that names nothing we have, gets Indonesian.
 */
export function messageLanguage(header: string | string[] | undefined): MessageLanguage {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_HEADER_LENGTH) return 'id';
  let best: MessageLanguage = 'id';
  let bestQ = 0;
  const entries = header.split(',');
  if (entries.length > MAX_ENTRIES) return 'id';
  for (const entry of entries) {
    const [rawTag, ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (!rawTag || !TAG.test(rawTag)) continue;
    let q = 1;
    const quality = params.find((p) => p.startsWith('q='));
    if (quality !== undefined) {
      if (!QUALITY.test(quality.replace(/\s+/g, ''))) continue;
      q = Number(quality.replace(/\s+/g, '').slice(2));
    }
    const primary = rawTag.split('-')[0];
    // `in` is the older ISO 639 code for Indonesian that some Android browsers still send.
    const language =
      primary === 'in' ? 'id' : (MESSAGE_LANGUAGES as readonly string[]).includes(primary) ? (primary as MessageLanguage) : null;
    if (language && q > bestQ) {
      best = language;
      bestQ = q;
    }
  }
  return best;
}
