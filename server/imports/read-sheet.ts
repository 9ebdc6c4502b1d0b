import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { IMPORT_LIMITS, ImportFileError } from './import-file-error.ts';
import { inspectXlsx } from './xlsx-size-guard.ts';
import { parseXlsxOnWorker, type RawSheet } from './xlsx-worker.ts';

/** One row of a sheet as text, numbered the way the treasurer sees it in Excel (1-based). */
export interface SheetRow {
  number: number;
  cells: string[];
}

export interface Sheet {
  name: string;
  rows: SheetRow[];
}

const ACCEPTED_EXTENSIONS = new Set(['xlsx', 'xlsm', 'csv', 'txt', 'tsv']);
// Read a little past the row limit so the caller can tell "too many rows" apart from "exactly at the limit",
// without holding a huge sheet in memory.
const MAX_ROWS_READ = IMPORT_LIMITS.maxDataRows + 500;

/**
 * Turns an uploaded spreadsheet into sheets of cell text. The content decides the format (an .xlsx is a zip, a CSV
 * is text); the file name only rules out files that are plainly something else (a PDF, a photo).
 */
export async function readSheets(buffer: Buffer, fileName?: string): Promise<Sheet[]> {
  const extension = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (extension && !ACCEPTED_EXTENSIONS.has(extension)) {
    throw new ImportFileError('UNSUPPORTED_FILE', `Berkas .${extension} tidak dapat diimpor; gunakan .xlsx atau .csv.`);
  }
  if (buffer.length === 0) throw new ImportFileError('EMPTY_FILE', 'Berkas kosong.');
  if (buffer.length > IMPORT_LIMITS.maxFileBytes) {
    throw new ImportFileError('PAYLOAD_TOO_LARGE', 'Berkas lebih dari 5 MB.');
  }
  if (isZip(buffer)) return readXlsx(buffer);
  if (isOleCompoundFile(buffer)) {
    throw new ImportFileError('UNSUPPORTED_FILE', 'Berkas .xls lama tidak dapat dibaca; simpan sebagai .xlsx lalu coba lagi.');
  }
  const baseName = fileName ? fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') : 'CSV';
  return [{ name: baseName || 'CSV', rows: readDelimitedText(buffer) }];
}

function isZip(buffer: Buffer): boolean {
  return buffer.length >= 4 && buffer.readUInt32LE(0) === 0x04034b50;
}

function isOleCompoundFile(buffer: Buffer): boolean {
  return buffer.length >= 8 && buffer.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
}

async function readXlsx(buffer: Buffer): Promise<Sheet[]> {
  // Sizes, rows and cells are counted before the parser allocates anything for them.
  await inspectXlsx(buffer);
  const sheets = (await parseXlsxOnWorker(buffer, MAX_ROWS_READ)).map((raw) => ({ name: raw.name, rows: sheetRows(raw) }));
  if (sheets.length === 0) throw new ImportFileError('UNSUPPORTED_FILE', 'Berkas tidak berisi lembar kerja.');
  return sheets;
}

function sheetRows(raw: RawSheet): SheetRow[] {
  return raw.rows.map(([number, pairs]) => {
    const cells: string[] = [];
    for (const [column, value] of pairs) cells[column - 1] = cellValueText(value);
    return { number, cells: Array.from(cells, (text) => text ?? '') };
  });
}

export function cellValueText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    // Whole numbers verbatim (a phone typed as a number has 13 digits); fractions lose binary noise (72.50000000001).
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  // A date cell has no zone: exceljs gives it as midnight UTC of the typed day, so that day is its UTC date.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return value.richText
        .map((part) => part.text ?? '')
        .join('')
        .trim();
    }
    if ('result' in value) return cellValueText(value.result as ExcelJS.CellValue);
    if ('formula' in value || 'sharedFormula' in value) return '';
    if ('text' in value) return cellValueText(value.text as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return '';
}

function readDelimitedText(buffer: Buffer): SheetRow[] {
  let text = decodeText(buffer).replace(/^\uFEFF/, '');
  // Excel's `sep=;` first line names the separator and is not shown as a row when Excel opens the file.
  const declared = text.match(/^sep=(.)\r?\n/i);
  if (declared) text = text.slice(declared[0].length);
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text.slice(0, 4096))) {
    throw new ImportFileError('UNSUPPORTED_FILE', 'Berkas bukan buku kerja .xlsx maupun teks CSV.');
  }
  let records: string[][];
  try {
    records = parseCsv(text, {
      delimiter: declared?.[1] ?? guessDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      to: MAX_ROWS_READ + 1,
    }) as string[][];
  } catch (error) {
    const detail = error instanceof Error ? error.message : '';
    throw new ImportFileError('UNREADABLE_FILE', `Berkas CSV tidak dapat dibaca. ${detail}`.trim());
  }
  if (records.length > MAX_ROWS_READ) {
    throw new ImportFileError('TOO_MANY_ROWS', `Lembar berisi lebih dari ${IMPORT_LIMITS.maxDataRows} baris.`);
  }
  const rows: SheetRow[] = [];
  records.forEach((record, index) => {
    const cells = record.map((cell) => cell.trim());
    // Excel opens a CSV record as one row even when a quoted cell spans lines, so the record index is the row number.
    if (cells.some((cell) => cell !== '')) rows.push({ number: index + 1, cells });
  });
  return rows;
}

/** UTF-8 first (with or without BOM), UTF-16 when Excel's "Unicode text" BOM says so, else Windows-1252 ("ANSI"). */
function decodeText(buffer: Buffer): string {
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return new TextDecoder('utf-16le').decode(buffer.subarray(2));
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) return new TextDecoder('utf-16be').decode(buffer.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer);
  } catch {
    return new TextDecoder('windows-1252').decode(buffer);
  }
}

/**
 * Indonesian Excel writes CSV with `;` (the comma is the decimal separator there), other locales with `,`, and the
 * "Unicode text" export uses tabs. The separator that occurs most often outside quotes in the first lines wins.
 */
export function guessDelimiter(text: string): string {
  const sample = text
    .split(/\r?\n/)
    .slice(0, 30)
    .join('\n')
    .replace(/"[^"]*"/g, '');
  const candidates = [';', ',', '\t'];
  let best = ';';
  let bestCount = 0;
  for (const candidate of candidates) {
    const count = sample.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}
