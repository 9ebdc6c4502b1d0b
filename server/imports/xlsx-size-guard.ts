import zlib from 'node:zlib';
import { IMPORT_LIMITS, ImportFileError } from './import-file-error.ts';

/**
 * An .xlsx is a zip of XML, and XML compresses a thousandfold: a 505 KB upload held 140 MB of sheet XML, which
 * exceljs turned into 3 GB of objects. Before any parser sees a workbook, this module
 *
 * 1. reads the zip's central directory and refuses what it declares past the limits (cheap, synchronous);
 * 2. inflates every part itself, counting the bytes that really come out (a zip may declare 1 KB and hold 1 GB),
 *    and counts the rows and cells of each worksheet as they stream by, stopping at the first limit crossed.
 *
 * The inflating runs on zlib's thread pool in small steps, so the server keeps answering other requests meanwhile.
 */

const UNREADABLE = () => new ImportFileError('UNREADABLE_FILE', 'Berkas tampak seperti .xlsx tetapi rusak.');
const TOO_LARGE = () =>
  new ImportFileError('IMPORT_FILE_TOO_LARGE', 'Lembar kerja terlalu besar untuk diimpor; pecah menjadi beberapa berkas.');

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

function readCentralDirectory(buffer: Buffer): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(buffer);
  if (eocd < 0) throw UNREADABLE();
  const count = buffer.readUInt16LE(eocd + 10);
  if (count > IMPORT_LIMITS.maxXlsxParts) throw TOO_LARGE();
  let offset = buffer.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== 0x02014b50) throw UNREADABLE();
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    if (offset + 46 + nameLength > buffer.length) throw UNREADABLE();
    entries.push({
      method: buffer.readUInt16LE(offset + 10),
      compressedSize: buffer.readUInt32LE(offset + 20),
      declaredSize: buffer.readUInt32LE(offset + 24),
      localHeaderOffset: buffer.readUInt32LE(offset + 42),
      name: buffer.toString('utf8', offset + 46, offset + 46 + nameLength),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Step 1: the sizes the central directory declares. 0xFFFFFFFF means the real size lives in a ZIP64 record: more
 * than 4 GB, far past any limit we accept.
 */
export function assertXlsxExpandsSafely(buffer: Buffer, limit: number = IMPORT_LIMITS.maxXlsxUncompressedBytes): void {
  let total = 0;
  for (const entry of readCentralDirectory(buffer)) {
    total += entry.declaredSize === 0xffffffff ? Number.POSITIVE_INFINITY : entry.declaredSize;
    if (total > limit) throw TOO_LARGE();
  }
}

export interface XlsxLimits {
  maxUncompressedBytes: number;
  maxRows: number;
  maxCells: number;
}

const DEFAULT_LIMITS: XlsxLimits = {
  maxUncompressedBytes: IMPORT_LIMITS.maxXlsxUncompressedBytes,
  maxRows: IMPORT_LIMITS.maxXlsxRows,
  maxCells: IMPORT_LIMITS.maxXlsxCells,
};

/** Counts `<row …>` and `<c …>` start tags in a stream of worksheet XML, across chunk boundaries. */
class TagCounter {
  rows = 0;
  cells = 0;
  private carry = '';

  push(chunk: Buffer): void {
    const text = this.carry + chunk.toString('latin1');
    // `<c` must be followed by a space, `>` or `/` (so `<col` and `<cfRule` are not cells); `<row` likewise.
    const matches = text.match(/<(?:row|c)[\s>/]/g);
    if (matches) for (const m of matches) m.length === 3 ? this.cells++ : this.rows++;
    // A tag cut at the chunk's end is completed by the next chunk; keep its start (at most `<row`).
    const tail = text.slice(-4);
    const cut = tail.lastIndexOf('<');
    this.carry = cut >= 0 && !/[\s>/]/.test(tail.slice(cut)) ? tail.slice(cut) : '';
  }
}

/** Step 2: inflates every part, trusting nothing the zip says about sizes, and counts the worksheets' rows and cells. */
export async function inspectXlsx(buffer: Buffer, limits: XlsxLimits = DEFAULT_LIMITS): Promise<{ rows: number; cells: number }> {
  assertXlsxExpandsSafely(buffer, limits.maxUncompressedBytes);
  const entries = readCentralDirectory(buffer);
  let total = 0;
  let rows = 0;
  let cells = 0;
  for (const entry of entries) {
    if (entry.name.endsWith('/') && entry.compressedSize === 0) continue;
    const start = entry.localHeaderOffset;
    if (start + 30 > buffer.length || buffer.readUInt32LE(start) !== 0x04034b50) throw UNREADABLE();
    const dataStart = start + 30 + buffer.readUInt16LE(start + 26) + buffer.readUInt16LE(start + 28);
    const data = buffer.subarray(dataStart, dataStart + entry.compressedSize);
    if (data.length !== entry.compressedSize) throw UNREADABLE();
    const isSheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(entry.name);
    const counter = isSheet ? new TagCounter() : undefined;
    const onChunk = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limits.maxUncompressedBytes) throw TOO_LARGE();
      if (!counter) return;
      counter.push(chunk);
      if (rows + counter.rows > limits.maxRows) {
        throw new ImportFileError('TOO_MANY_ROWS', `Lembar berisi lebih dari ${IMPORT_LIMITS.maxDataRows} baris.`);
      }
      if (cells + counter.cells > limits.maxCells) {
        throw new ImportFileError(
          'TOO_MANY_CELLS',
          `Lembar berisi lebih dari ${limits.maxCells.toLocaleString('id-ID')} sel; hapus kolom yang tidak dipakai.`,
        );
      }
    };
    if (entry.method === 0) onChunk(data);
    else if (entry.method === 8) await inflateCounting(data, onChunk);
    else throw UNREADABLE();
    rows += counter?.rows ?? 0;
    cells += counter?.cells ?? 0;
  }
  return { rows, cells };
}

function inflateCounting(data: Buffer, onChunk: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const inflate = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      inflate.destroy();
      reject(error instanceof ImportFileError ? error : UNREADABLE());
    };
    inflate.on('data', (chunk: Buffer) => {
      if (failed) return;
      try {
        onChunk(chunk);
      } catch (error) {
        fail(error);
      }
    });
    inflate.on('error', fail);
    inflate.on('end', () => {
      if (!failed) resolve();
    });
    inflate.end(data);
  });
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end of the file.
  const stop = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= stop; i--) {
    if (buffer.readUInt32LE(i) === 0x06054b50) return i;
  }
  return -1;
}
