import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ImportFileError } from './import-file-error.ts';
import { assertXlsxExpandsSafely, inspectXlsx } from './xlsx-size-guard.ts';

async function workbook(rows: number, columns: number): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Data');
  for (let r = 0; r < rows; r++) sheet.addRow(Array.from({ length: columns }, (_, c) => `Blok ${r}-${c}`));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Rewrites every declared uncompressed size, in the central directory and the local headers, to `size`. */
function lieAboutSizes(buffer: Buffer, size: number): Buffer {
  const out = Buffer.from(buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const signature = out.readUInt32LE(i);
    if (signature === 0x02014b50) out.writeUInt32LE(size, i + 24);
    if (signature === 0x04034b50) out.writeUInt32LE(size, i + 22);
  }
  return out;
}

const limits = { maxUncompressedBytes: 200_000, maxRows: 1_000, maxCells: 5_000 };

describe('inspectXlsx', () => {
  it('counts the rows and cells of the worksheets', async () => {
    expect(await inspectXlsx(await workbook(30, 4), limits)).toEqual({ rows: 30, cells: 120 });
  });

  it('refuses a zip whose headers understate what it inflates to', async () => {
    const liar = lieAboutSizes(await workbook(3_000, 1), 10);
    expect(() => assertXlsxExpandsSafely(liar, limits.maxUncompressedBytes)).not.toThrow();
    await expect(inspectXlsx(liar, { ...limits, maxRows: 1e9, maxCells: 1e9 })).rejects.toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE' });
  });

  it('refuses too many rows and too many cells before any parser runs', async () => {
    await expect(inspectXlsx(await workbook(1_200, 1), { ...limits, maxUncompressedBytes: 1e9 })).rejects.toMatchObject({
      code: 'TOO_MANY_ROWS',
    });
    await expect(inspectXlsx(await workbook(600, 10), { ...limits, maxUncompressedBytes: 1e9 })).rejects.toMatchObject({
      code: 'TOO_MANY_CELLS',
    });
  });

  it('refuses a damaged zip as unreadable', async () => {
    const book = await workbook(5, 2);
    const damaged = Buffer.from(book);
    damaged.fill(0x41, 100, 400);
    await expect(inspectXlsx(damaged, limits)).rejects.toBeInstanceOf(ImportFileError);
  });
});
