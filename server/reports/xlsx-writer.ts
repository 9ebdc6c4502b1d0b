import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import { numberFormat } from './cell-text.ts';
import { estateAddressLine, type ReportDocument, type SignatureBlock } from './report-table.ts';

/**
 * A report as an .xlsx workbook: one worksheet per table, estate and report title on top, the column header frozen
 * and repeated on printed pages, real numbers with rupiah formats. Written with exceljs's streaming writer (no
 * shared strings). Every cell of a column gets the same style object: exceljs caches style ids by object identity,
 * and a fresh object per cell (what column styles produce) costs a JSON round trip per cell — seconds on a
 * 10,000-unit arrears grid.
 */
const HEADER_ROW = 5;
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF4F4F4' } };

export async function reportToXlsx(doc: ReportDocument): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  // Loaded on first use: exceljs is a large share of the server's start-up, and only exports need it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Klustera';
  workbook.created = new Date();

  for (const table of doc.tables) {
    const sheet = workbook.addWorksheet(table.sheet, {
      views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: table.landscape ? 1 : 0 }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: table.landscape ? 'landscape' : 'portrait',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      },
      headerFooter: { oddFooter: `${doc.title} · ${doc.estate.name} · Halaman &P dari &N` },
    });
    sheet.columns = table.columns.map((c) => ({ key: c.key, width: c.width }));
    const styles = table.columns.map((c) => {
      const numFmt = numberFormat(c.kind, table.zeroText);
      const plain: Partial<ExcelJS.Style> = numFmt ? { numFmt } : {};
      const bold: Partial<ExcelJS.Style> = { ...plain, font: { bold: true } };
      const total: Partial<ExcelJS.Style> = { ...bold, fill: TOTAL_FILL, border: { top: { style: 'thin' } } };
      return { plain, section: bold, total };
    });

    const titleRow = sheet.getRow(1);
    titleRow.getCell(1).value = doc.estate.name;
    titleRow.getCell(1).font = { bold: true, size: 14 };
    titleRow.commit();
    const addressRow = sheet.getRow(2);
    addressRow.getCell(1).value = estateAddressLine(doc.estate);
    addressRow.commit();
    const reportRow = sheet.getRow(3);
    reportRow.getCell(1).value = `${doc.title} — ${table.title}`;
    reportRow.getCell(1).font = { bold: true, size: 12 };
    reportRow.commit();
    const subRow = sheet.getRow(4);
    subRow.getCell(1).value = `${doc.subtitle} · dibuat ${doc.generatedAt}`;
    subRow.getCell(1).font = { italic: true, size: 9 };
    subRow.commit();

    const header = sheet.getRow(HEADER_ROW);
    table.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
      cell.border = { bottom: { style: 'thin' } };
      cell.alignment = { horizontal: c.kind === 'text' ? 'left' : 'right', vertical: 'middle' };
    });
    header.commit();

    let r = HEADER_ROW + 1;
    for (const row of table.rows) {
      const xrow = sheet.getRow(r++);
      const kind = row.emphasis ?? 'plain';
      for (let i = 0; i < table.columns.length; i++) {
        const value = row.cells[table.columns[i].key];
        const filled = value !== null && value !== undefined && value !== '';
        if (!filled && kind !== 'total') continue;
        const cell = xrow.getCell(i + 1);
        if (filled) cell.value = value;
        cell.style = styles[i][kind];
      }
      xrow.commit();
    }
    if (table === doc.tables.at(-1) && doc.signatures?.length) writeSignatures(sheet, r + 1, table.columns.length, doc.signatures);
    sheet.commit();
  }
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}

const SIGN_ROWS = 4;

/**
 * The same signature blocks as the PDF ("Mengetahui, / Ketua RT" … "Bendahara") under the last table, spread over
 * its columns: the line above, the role, room to sign, a line for the name and "Nama jelas" under it.
 */
function writeSignatures(sheet: ExcelJS.Worksheet, first: number, columns: number, blocks: SignatureBlock[]): void {
  const columnOf = (i: number) => (blocks.length === 1 ? 1 : 1 + Math.round((i * (columns - 1)) / (blocks.length - 1)));
  const line = (offset: number, text: (b: SignatureBlock) => string, style: Partial<ExcelJS.Style>) => {
    const row = sheet.getRow(first + offset);
    blocks.forEach((b, i) => {
      const value = text(b);
      if (!value) return;
      const cell = row.getCell(columnOf(i));
      cell.value = value;
      cell.style = style;
    });
    row.commit();
  };
  const centred: Partial<ExcelJS.Style> = { alignment: { horizontal: 'center' } };
  line(0, (b) => b.above, centred);
  line(1, (b) => b.role, { ...centred, font: { bold: true } });
  line(2 + SIGN_ROWS, () => '(______________________)', centred);
  line(3 + SIGN_ROWS, () => 'Nama jelas', { ...centred, font: { italic: true, size: 9, color: { argb: 'FF666666' } } });
}
