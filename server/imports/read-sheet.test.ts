import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { IMPORT_LIMITS, ImportFileError } from './import-file-error.ts';
import { guessDelimiter, readSheets } from './read-sheet.ts';
import { assertXlsxExpandsSafely } from './xlsx-size-guard.ts';

async function workbookBuffer(build: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook.addWorksheet('Data'));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function expectImportError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ImportFileError);
  expect((error as ImportFileError).code).toBe(code);
}

describe('readSheets: xlsx', () => {
  it('reads cell text with the sheet row numbers and skips blank rows', async () => {
    const buffer = await workbookBuffer((sheet) => {
      sheet.getCell('A1').value = 'Judul';
      sheet.getCell('A3').value = 'Blok';
      sheet.getCell('B3').value = 'No';
      sheet.getCell('A4').value = 'A';
      sheet.getCell('B4').value = 12;
    });
    const [sheet] = await readSheets(buffer, 'warga.xlsx');
    expect(sheet.name).toBe('Data');
    expect(sheet.rows).toEqual([
      { number: 1, cells: ['Judul'] },
      { number: 3, cells: ['Blok', 'No'] },
      { number: 4, cells: ['A', '12'] },
    ]);
  });

  it('keeps a title merged across columns in its first cell, and a block merged down in every row', async () => {
    const buffer = await workbookBuffer((sheet) => {
      sheet.getCell('A1').value = 'RUKO';
      sheet.mergeCells('A1:C1');
      sheet.getCell('A2').value = 'B';
      sheet.getCell('B2').value = 1;
      sheet.getCell('B3').value = 2;
      sheet.mergeCells('A2:A3');
    });
    const [sheet] = await readSheets(buffer);
    expect(sheet.rows.map((row) => row.cells)).toEqual([
      ['RUKO', '', ''],
      ['B', '1'],
      ['B', '2'],
    ]);
  });

  it('reads rich text, formula results, hyperlinks and dates as text', async () => {
    const buffer = await workbookBuffer((sheet) => {
      sheet.getCell('A1').value = { richText: [{ text: 'Blok ' }, { text: 'A', font: { bold: true } }] };
      sheet.getCell('B1').value = { formula: '10+2', result: 12 };
      sheet.getCell('C1').value = { text: 'budi@contoh.id', hyperlink: 'mailto:budi@contoh.id' };
      sheet.getCell('D1').value = new Date(Date.UTC(2024, 0, 31));
      sheet.getCell('E1').value = 72.5;
      sheet.getCell('F1').value = 6281234567891;
      sheet.getCell('G1').value = 0.1 + 0.2;
    });
    const [sheet] = await readSheets(buffer);
    expect(sheet.rows[0].cells).toEqual(['Blok A', '12', 'budi@contoh.id', '2024-01-31', '72.5', '6281234567891', '0.3']);
  });

  it('refuses a workbook that would expand past the limit', async () => {
    const buffer = await workbookBuffer((sheet) => {
      sheet.getCell('A1').value = 'x'.repeat(1000);
    });
    expect(() => assertXlsxExpandsSafely(buffer, 100)).toThrow(ImportFileError);
    expect(() => assertXlsxExpandsSafely(buffer)).not.toThrow();
  });
});

describe('readSheets: csv', () => {
  it('reads a semicolon CSV with a UTF-8 BOM', async () => {
    const text = '\uFEFFAlamat;Nama;No HP\nA/12;"Budi; Jr";0812-3456-7890\n';
    const [sheet] = await readSheets(Buffer.from(text), 'warga.csv');
    expect(sheet.name).toBe('warga');
    expect(sheet.rows).toEqual([
      { number: 1, cells: ['Alamat', 'Nama', 'No HP'] },
      { number: 2, cells: ['A/12', 'Budi; Jr', '0812-3456-7890'] },
    ]);
  });

  it('reads a comma CSV with a quoted cell spanning lines as one row', async () => {
    const text = 'Alamat,Keterangan\r\n\r\nA-1,"pindah\r\nbulan lalu"\r\nA-2,-\r\n';
    const [sheet] = await readSheets(Buffer.from(text), 'warga.csv');
    expect(sheet.rows).toEqual([
      { number: 1, cells: ['Alamat', 'Keterangan'] },
      { number: 3, cells: ['A-1', 'pindah\r\nbulan lalu'] },
      { number: 4, cells: ['A-2', '-'] },
    ]);
  });

  it('reads a Windows-1252 CSV saved by an older Excel', async () => {
    const buffer = Buffer.concat([Buffer.from('Alamat;Nama\nA-1;Ren'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const [sheet] = await readSheets(buffer, 'warga.csv');
    expect(sheet.rows[1].cells).toEqual(['A-1', 'René']);
  });

  it('reads a UTF-16 tab-separated "Unicode text" export', async () => {
    const text = 'Alamat\tNama\nA-1\tSiti\n';
    const buffer = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const [sheet] = await readSheets(buffer, 'warga.txt');
    expect(sheet.rows[1].cells).toEqual(['A-1', 'Siti']);
  });

  it('follows an Excel `sep=` line and does not count it as a row', async () => {
    // Unquoted semicolons outnumber the commas here, so only the declaration gets the separator right.
    const [sheet] = await readSheets(Buffer.from('sep=,\nAlamat,Catatan\nA-1,ada; titik; koma; di; sini\n'), 'warga.csv');
    expect(sheet.rows).toEqual([
      { number: 1, cells: ['Alamat', 'Catatan'] },
      { number: 2, cells: ['A-1', 'ada; titik; koma; di; sini'] },
    ]);
  });

  it('guesses the separator from the first lines', () => {
    expect(guessDelimiter('a;b;c\n1;2,5;3')).toBe(';');
    expect(guessDelimiter('a,b,c\n1,"2;5",3')).toBe(',');
    expect(guessDelimiter('a\tb\n1\t2')).toBe('\t');
  });
});

describe('readSheets: files that are not spreadsheets', () => {
  it('rejects a file named like something else', async () => {
    await expectImportError(readSheets(Buffer.from('Alamat\nA-1'), 'foto.jpg'), 'UNSUPPORTED_FILE');
  });

  it('rejects binary garbage', async () => {
    const garbage = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) % 256));
    await expectImportError(readSheets(garbage, 'warga.csv'), 'UNSUPPORTED_FILE');
  });

  it('rejects a damaged zip posing as an .xlsx', async () => {
    const damaged = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    await expectImportError(readSheets(damaged, 'warga.xlsx'), 'UNREADABLE_FILE');
  });

  it('rejects a truncated .xlsx', async () => {
    const buffer = await workbookBuffer((sheet) => {
      sheet.getCell('A1').value = 'Alamat';
    });
    await expectImportError(readSheets(buffer.subarray(0, buffer.length - 40), 'warga.xlsx'), 'UNREADABLE_FILE');
  });

  it('explains that an old .xls must be saved as .xlsx', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]);
    await expectImportError(readSheets(ole, 'warga.xls'), 'UNSUPPORTED_FILE');
    await expectImportError(readSheets(ole), 'UNSUPPORTED_FILE');
  });

  it('rejects an empty file and one over the size limit', async () => {
    await expectImportError(readSheets(Buffer.alloc(0), 'warga.csv'), 'EMPTY_FILE');
    await expectImportError(readSheets(Buffer.alloc(IMPORT_LIMITS.maxFileBytes + 1, 0x41), 'warga.csv'), 'PAYLOAD_TOO_LARGE');
  });

  it('stops reading a CSV far past the row limit', async () => {
    const text = 'Alamat\n' + 'A-1\n'.repeat(IMPORT_LIMITS.maxDataRows + 1000);
    await expectImportError(readSheets(Buffer.from(text), 'warga.csv'), 'TOO_MANY_ROWS');
  });
});
