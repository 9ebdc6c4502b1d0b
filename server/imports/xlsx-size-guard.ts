import { IMPORT_LIMITS, ImportFileError } from './import-file-error.ts';

/**
 * Sums the uncompressed sizes an .xlsx (a zip) declares in its central directory, before exceljs inflates anything:
 * a 5 MB upload of repetitive XML can otherwise expand into gigabytes in memory. The declared sizes are what zip
 * readers trust too; a file whose central directory cannot be found is not an .xlsx we can read.
 */
export function assertXlsxExpandsSafely(buffer: Buffer, limit: number = IMPORT_LIMITS.maxXlsxUncompressedBytes): void {
  const eocd = findEndOfCentralDirectory(buffer);
  if (eocd < 0) throw new ImportFileError('UNREADABLE_FILE', 'Berkas tampak seperti .xlsx tetapi rusak.');

  const entries = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== 0x02014b50) {
      throw new ImportFileError('UNREADABLE_FILE', 'Berkas tampak seperti .xlsx tetapi rusak.');
    }
    const uncompressed = buffer.readUInt32LE(offset + 24);
    // 0xFFFFFFFF means the real size lives in a ZIP64 record: more than 4 GB, far past any limit we accept.
    if (uncompressed === 0xffffffff) total = Number.POSITIVE_INFINITY;
    else total += uncompressed;
    if (total > limit) {
      throw new ImportFileError('PAYLOAD_TOO_LARGE', 'Lembar kerja terlalu besar untuk diimpor; pecah menjadi beberapa berkas.');
    }
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    offset += 46 + nameLength + extraLength + commentLength;
  }
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end of the file.
  const stop = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= stop; i--) {
    if (buffer.readUInt32LE(i) === 0x06054b50) return i;
  }
  return -1;
}
