/** Readers for the non-address cells of a row: status words, unit types, areas, e-mail addresses, names. */

export type UnitType = 'rumah' | 'ruko' | 'kavling' | 'other';
export type Occupancy = 'occupied' | 'vacant' | 'under_construction';
/** How the unit is lived in, which decides who becomes a resident: the owner, a tenant, or nobody. */
export type Tenure = 'owner_occupied' | 'rented' | 'vacant' | 'under_construction';

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const STATUS_WORDS: [RegExp, Tenure][] = [
  [/^(kosong|vacant|empty|tidak dihuni|tdk dihuni|belum dihuni|tidak ditempati|belum ditempati)$/, 'vacant'],
  [/^(kontrak|dikontrak(kan)?|ngontrak|sewa|disewa(kan)?|penyewa|rented|rent|tenant|kos)$/, 'rented'],
  [
    /^(pemilik|milik sendiri|milik|owner|owner occupied|dihuni pemilik|ditempati pemilik|dihuni|ditempati|huni|tetap|occupied)$/,
    'owner_occupied',
  ],
  [/^(renovasi|dibangun|sedang dibangun|pembangunan|under construction|construction)$/, 'under_construction'],
];

export function parseTenure(text: string): Parsed<Tenure | null> {
  const value = text.trim().toLowerCase().replace(/[-_]+/g, ' ').replace(/\s+/g, ' ');
  if (value === '') return { ok: true, value: null };
  for (const [pattern, tenure] of STATUS_WORDS) if (pattern.test(value)) return { ok: true, value: tenure };
  return { ok: false, message: `Status "${text.trim()}" tidak dikenal; gunakan Pemilik, Kontrak/Sewa atau Kosong.` };
}

export function occupancyOf(tenure: Tenure): Occupancy {
  if (tenure === 'vacant') return 'vacant';
  if (tenure === 'under_construction') return 'under_construction';
  return 'occupied';
}

const TYPE_WORDS: [RegExp, UnitType][] = [
  [/^(ruko|rukan|shophouse|shop ?house|kios|toko|shop)$/, 'ruko'],
  [/^(rumah|rumah tinggal|house|hunian|residential|rmh)$/, 'rumah'],
  [/^(kavling|kav|kaveling|tanah|tanah kosong|lot|plot|land)$/, 'kavling'],
  [/^(lainnya|lain lain|other|fasum|fasos)$/, 'other'],
];

/** A unit-type word, or a section title like "RUKO" / "Blok Ruko" that switches the type of the rows below it. */
export function parseUnitType(text: string): UnitType | null {
  const value = text
    .trim()
    .toLowerCase()
    .replace(/[-_]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^(blok|block|tipe|type|unit) /, '');
  for (const [pattern, type] of TYPE_WORDS) if (pattern.test(value)) return type;
  return null;
}

/**
 * "Tipe 36/72" is how Indonesian estates name a house model: 36 m² building on 72 m² land. A Tipe column may hold
 * that instead of a type word.
 */
export function parseHouseModel(text: string): { building: number; land: number | null } | null {
  const match = text.trim().match(/^(?:tipe|type)?\s*(\d{2,4})(?:\s*\/\s*(\d{2,5}))?$/i);
  if (!match) return null;
  return { building: Number(match[1]), land: match[2] ? Number(match[2]) : null };
}

/** Square metres: `72`, `72 m2`, `72,5`, `1.200` (Indonesian thousands). At most two decimals, never negative. */
export function parseArea(text: string): Parsed<number | null> {
  let value = text
    .trim()
    .toLowerCase()
    .replace(/\s*(m2|m²|meter|mtr|m)$/, '')
    .trim();
  if (value === '' || value === '-') return { ok: true, value: null };
  if (/^\d{1,3}(\.\d{3})+$/.test(value)) value = value.replace(/\./g, '');
  else value = value.replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(value)) return { ok: false, message: `"${text.trim()}" bukan luas dalam m².` };
  const area = Math.round(Number(value) * 100) / 100;
  if (area > 1_000_000) return { ok: false, message: `${text.trim()} m² bukan luas yang masuk akal.` };
  return { ok: true, value: area };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseEmail(text: string): Parsed<string | null> {
  const value = text.trim().replace(/^mailto:/i, '');
  if (value === '' || value === '-') return { ok: true, value: null };
  if (value.length > 254 || !EMAIL.test(value)) return { ok: false, message: `"${value}" bukan alamat email yang sah.` };
  return { ok: true, value: value.toLowerCase() };
}

/** Names are kept as written apart from spacing; `-` and similar placeholders mean nobody. */
export function cleanName(text: string): string | null {
  const value = text.replace(/\s+/g, ' ').trim();
  if (value === '' || /^[-–—.?]+$/.test(value)) return null;
  return value;
}

// One collator for every comparison: building one per localeCompare call dominates a 20,000-row import.
const NAME_COLLATOR = new Intl.Collator('id', { sensitivity: 'base' });

/** The same person's name, ignoring case and accents ("Rene" and "René"). */
export function sameName(a: string, b: string): boolean {
  return NAME_COLLATOR.compare(a, b) === 0;
}
