import { ImportFileError } from './import-file-error.ts';
import type { SheetRow } from './read-sheet.ts';

/** What a column of the treasurer's sheet can mean. `sequence` is the sheet's own running number, `ignore` is
 * set by the treasurer for a column that should not be read. */
export const IMPORT_FIELDS = [
  'address',
  'block',
  'number',
  'owner_name',
  'occupant_name',
  'status',
  'phone',
  'owner_phone',
  'occupant_phone',
  'email',
  'land_area_m2',
  'building_area_m2',
  'type',
  'notes',
  'sequence',
  'ignore',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export interface ImportColumn {
  index: number; // 0-based column index: 0 is column A
  header: string;
  field: ImportField | null;
}

export type MappingOverride = Record<string, ImportField | null>;

const PHONE_WORDS = [
  'hp',
  'handphone',
  'hape',
  'telp',
  'tlp',
  'telpon',
  'telepon',
  'telephone',
  'phone',
  'wa',
  'whatsapp',
  'ponsel',
  'kontak',
  'contact',
  'mobile',
  'seluler',
];
const OWNER_WORDS = ['pemilik', 'owner', 'pemilk'];
const OCCUPANT_WORDS = ['penghuni', 'penyewa', 'pengontrak', 'tenant', 'occupant', 'warga', 'resident', 'kk', 'keluarga'];

/** Header text → field, for Indonesian and English headers in any case and with any punctuation. */
export function recognizeHeader(header: string): ImportField | null {
  const text = normalizeHeader(header);
  if (text === '') return null;
  const words = text.split(' ');
  const has = (...candidates: string[]) => candidates.some((candidate) => words.includes(candidate));
  const phrase = (candidate: string) => ` ${text} `.includes(` ${candidate} `);

  if (has(...PHONE_WORDS)) {
    if (has(...OWNER_WORDS)) return 'owner_phone';
    if (has(...OCCUPANT_WORDS)) return 'occupant_phone';
    return 'phone';
  }
  if (has('email', 'surel') || phrase('e mail')) return 'email';
  if (has('tanah', 'lahan', 'lt', 'land')) return 'land_area_m2';
  if (has('bangunan', 'lb', 'building')) return 'building_area_m2';
  if (has('keterangan', 'ket', 'catatan', 'notes', 'note', 'remarks', 'remark', 'info')) return 'notes';
  if (has('status', 'hunian', 'kepemilikan', 'occupancy', 'ownership')) return 'status';
  if (has('tipe', 'type', 'jenis', 'kategori', 'category')) return 'type';
  if (has(...OWNER_WORDS)) return 'owner_name';
  if (has(...OCCUPANT_WORDS) || text === 'nama' || text === 'name' || text === 'nama lengkap') return 'occupant_name';
  if (words[0] === 'blok' || words[0] === 'block' || words[0] === 'blk') return 'block';
  if (text === 'no urut' || text === 'urut' || text === 'nomor urut') return 'sequence';
  if (
    ['no', 'nomor', 'nr', 'number', 'nmr'].includes(words[0]) &&
    words.length > 1 &&
    has('rumah', 'unit', 'kavling', 'kav', 'house', 'rmh')
  ) {
    return 'number';
  }
  if (['no', 'nomor', 'nr', 'number', 'nmr', '#'].includes(text) || text === 'house number') return 'number';
  if (has('alamat', 'address', 'kavling', 'kav', 'unit', 'rumah', 'kode', 'code', 'lokasi')) return 'address';
  return null;
}

function normalizeHeader(header: string): string {
  return header
    .toLowerCase()
    .replace(/m²|m2\b/g, ' ')
    .replace(/[^a-z0-9#]+/g, ' ')
    .trim();
}

const BARE_NUMBER_HEADERS = new Set(['no', 'nomor', 'nr', 'number', 'nmr', '#']);

/** Maps every column of the header row, then applies the treasurer's override on top. */
export function mapColumns(headerCells: string[], width: number, override?: MappingOverride): ImportColumn[] {
  const recognized = Array.from({ length: width }, (_, index) => recognizeHeader(headerCells[index] ?? ''));
  demoteBareNumberHeaders(headerCells, recognized);
  const taken = new Set<ImportField>();
  const columns = recognized.map((candidate, index): ImportColumn => {
    let field = candidate;
    // Two columns both saying "No HP": the first one wins, the second is shown as unmapped.
    if (field && field !== 'sequence' && taken.has(field)) field = null;
    if (field) taken.add(field);
    return { index, header: headerCells[index] ?? '', field };
  });
  if (override) applyOverride(columns, override);
  return columns;
}

/**
 * A bare "No" is usually the sheet's running number (1, 2, 3 …); it is the house number only when no other column
 * names the house ("No Rumah", "Alamat").
 */
function demoteBareNumberHeaders(headerCells: string[], fields: (ImportField | null)[]): void {
  const isBare = (index: number) => BARE_NUMBER_HEADERS.has(normalizeHeader(headerCells[index] ?? ''));
  const specificNumber = fields.some((field, index) => field === 'number' && !isBare(index));
  const hasAddress = fields.includes('address');
  fields.forEach((field, index) => {
    if (field === 'number' && isBare(index) && (specificNumber || hasAddress)) fields[index] = 'sequence';
  });
}

function applyOverride(columns: ImportColumn[], override: MappingOverride): void {
  const seen = new Set<ImportField>();
  for (const [key, field] of Object.entries(override)) {
    const index = Number(key);
    if (!/^\d+$/.test(key) || index >= columns.length) {
      throw new ImportFileError('INVALID_MAPPING', `Kolom ${key} tidak ada di lembar ini.`, 'mapping');
    }
    if (field !== null && !(IMPORT_FIELDS as readonly string[]).includes(field)) {
      throw new ImportFileError('INVALID_MAPPING', `"${String(field)}" bukan kolom yang dapat diimpor.`, 'mapping');
    }
    if (field && field !== 'ignore' && field !== 'sequence') {
      if (seen.has(field)) throw new ImportFileError('INVALID_MAPPING', `Dua kolom dipetakan ke ${field}.`, 'mapping');
      seen.add(field);
      // The override wins over whatever column the headers had given this field.
      for (const column of columns) if (column.field === field) column.field = null;
    }
    columns[index].field = field;
  }
}

export interface HeaderRow {
  position: number; // index into the sheet's rows
  row: SheetRow;
  score: number;
}

const IDENTITY_FIELDS: ImportField[] = ['address', 'block', 'number'];
const HEADER_SEARCH_ROWS = 30;

/**
 * The header is the row among the first ones that names the most known columns, one of which says where the unit
 * is. Title rows ("DATA WARGA RT 05"), blank rows and merged cells above it are passed over. Without such a row, the
 * first row of two or more text cells is taken so the treasurer can map its columns by hand.
 */
export function findHeaderRow(rows: SheetRow[]): HeaderRow | null {
  let best: HeaderRow | null = null;
  rows.slice(0, HEADER_SEARCH_ROWS).forEach((row, position) => {
    const fields = new Set(row.cells.map(recognizeHeader).filter((field): field is ImportField => field !== null));
    fields.delete('sequence');
    const score = fields.size;
    if (score < 2 || !IDENTITY_FIELDS.some((field) => fields.has(field))) return;
    if (!best || score > best.score) best = { position, row, score };
  });
  if (best) return best;
  const position = rows
    .slice(0, HEADER_SEARCH_ROWS)
    .findIndex((row) => row.cells.filter((cell) => cell !== '' && !/^[\d.,\s-]+$/.test(cell)).length >= 2);
  return position < 0 ? null : { position, row: rows[position], score: 0 };
}
