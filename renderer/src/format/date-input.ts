/**
 * What a date field shows and accepts, the same whatever the browser's locale: a native date input follows the
 * browser (mm/dd/yyyy under en-US), and "03/04" must not mean 4 March to one treasurer and 3 April to another.
 * Shown as dd/mm/yyyy; typed as dd/mm/yyyy (or with - or .), "30 Nov 2026" / "30 November 2026" in Indonesian or
 * English, or ISO "2026-11-30". The value is always an ISO day.
 */

// Every spelling of a month a person might type, in both languages (Agt and Sept are common too).
const MONTH_WORDS: Record<string, number> = {};
[
  ['januari', 'january', 'jan'],
  ['februari', 'february', 'feb', 'pebruari', 'peb'],
  ['maret', 'march', 'mar'],
  ['april', 'apr'],
  ['mei', 'may'],
  ['juni', 'june', 'jun'],
  ['juli', 'july', 'jul'],
  ['agustus', 'august', 'agu', 'agt', 'aug', 'ags'],
  ['september', 'sep', 'sept'],
  ['oktober', 'october', 'okt', 'oct'],
  ['november', 'nov', 'nop', 'nopember'],
  ['desember', 'december', 'des', 'dec'],
].forEach((words, i) => {
  for (const w of words) MONTH_WORDS[w] = i + 1;
});

function isoDay(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The ISO day a person typed, or null when it is not a real date in a form we read without guessing. */
export function parseDateInput(text: string): string | null {
  const value = text.trim().toLowerCase();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (m) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(value);
  if (m) return isoDay(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})[\s/.-]*([a-z]+)\.?[\s/.,-]*(\d{4})$/.exec(value);
  if (m && MONTH_WORDS[m[2]]) return isoDay(Number(m[3]), MONTH_WORDS[m[2]], Number(m[1]));
  return null;
}

/** "2026-11-30" → "30/11/2026"; anything else is shown as given. */
export function formatDateInput(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}
