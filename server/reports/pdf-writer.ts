import PDFDocument from 'pdfkit';
import { cellText } from './cell-text.ts';
import { FastText } from './pdf-fast-text.ts';
import { estateAddressLine, type ReportColumn, type ReportDocument, type ReportTable, type SignatureBlock } from './report-table.ts';

/**
 * A report as an A4 PDF. Every page carries the estate header, the report title, the table's column header and a
 * page number ("Halaman 3 dari 12"); each table starts on a new page, wide ones in landscape. Page numbers need the
 * page count, so pages are buffered and numbered at the end.
 *
 * Cells are drawn with `lineBreak: false` and measured alignment instead of pdfkit's wrapping layout: it is an order
 * of magnitude faster, which a 10,000-unit arrears grid (hundreds of pages) needs.
 */
const MARGIN = 36;
const ROW_H = 12;
const HEADER_H = 16;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const BODY_SIZE = 7.5;
const PAD = 3;

type Doc = PDFKit.PDFDocument;

function layout(doc: Doc, columns: ReportColumn[]): number[] {
  const available = doc.page.width - 2 * MARGIN;
  const totalChars = columns.reduce((s, c) => s + c.width, 0);
  return columns.map((c) => (c.width / totalChars) * available);
}

function fit(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let cut = text;
  while (cut.length > 1 && doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function drawPageHeader(doc: Doc, report: ReportDocument, table: ReportTable, continued: boolean): number {
  const width = doc.page.width - 2 * MARGIN;
  doc.font(BOLD).fontSize(12).fillColor('#000').text(report.estate.name, MARGIN, MARGIN, { lineBreak: false });
  doc
    .font(FONT)
    .fontSize(8)
    .fillColor('#444')
    .text(estateAddressLine(report.estate), MARGIN, MARGIN + 15, { lineBreak: false });
  const title = report.title;
  doc.font(BOLD).fontSize(11).fillColor('#000');
  doc.text(title, MARGIN + width - doc.widthOfString(title), MARGIN, { lineBreak: false });
  doc.font(FONT).fontSize(8).fillColor('#444');
  doc.text(report.subtitle, MARGIN + width - doc.widthOfString(report.subtitle), MARGIN + 15, { lineBreak: false });
  doc
    .moveTo(MARGIN, MARGIN + 28)
    .lineTo(MARGIN + width, MARGIN + 28)
    .lineWidth(0.8)
    .strokeColor('#000')
    .stroke();
  const heading = continued ? `${table.title} (lanjutan)` : table.title;
  doc
    .font(BOLD)
    .fontSize(9)
    .fillColor('#000')
    .text(heading, MARGIN, MARGIN + 34, { lineBreak: false });
  return MARGIN + 48;
}

function drawColumnHeader(doc: Doc, table: ReportTable, widths: number[], y: number): number {
  const width = doc.page.width - 2 * MARGIN;
  doc.rect(MARGIN, y, width, HEADER_H).fillColor('#E8EEF4').fill();
  doc.font(BOLD).fontSize(BODY_SIZE).fillColor('#000');
  let x = MARGIN;
  table.columns.forEach((c, i) => {
    const text = fit(doc, c.header, widths[i] - 2 * PAD);
    const tx = c.kind === 'text' ? x + PAD : x + widths[i] - PAD - doc.widthOfString(text);
    doc.text(text, tx, y + 5, { lineBreak: false });
    x += widths[i];
  });
  return y + HEADER_H + 2;
}

/** Draws the table from a new page and answers where it ended. */
function drawTable(doc: Doc, report: ReportDocument, table: ReportTable, fast: FastText): number {
  const size = { size: 'A4', layout: table.landscape ? 'landscape' : 'portrait', margin: MARGIN } as const;
  doc.addPage(size);
  const widths = layout(doc, table.columns);
  const lefts = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const bottom = doc.page.height - MARGIN - 18;
  const withSymbol = !table.landscape;
  let y = drawColumnHeader(doc, table, widths, drawPageHeader(doc, report, table, false));
  for (const row of table.rows) {
    if (y + ROW_H > bottom) {
      doc.addPage(size);
      y = drawColumnHeader(doc, table, widths, drawPageHeader(doc, report, table, true));
    }
    if (row.emphasis === 'total') {
      doc
        .moveTo(MARGIN, y - 1)
        .lineTo(doc.page.width - MARGIN, y - 1)
        .lineWidth(0.5)
        .strokeColor('#000')
        .stroke();
    }
    const cells = table.columns.map((c, i) => ({
      text: cellText(row.cells[c.key] ?? null, c.kind, table, withSymbol),
      x: lefts[i],
      width: widths[i],
      align: c.kind === 'text' ? ('left' as const) : ('right' as const),
    }));
    fast.row(cells, y + 2, row.emphasis ? 'bold' : 'regular', BODY_SIZE, PAD);
    y += ROW_H;
  }
  return y;
}

const SIGNATURE_H = 96;

/**
 * Signature blocks side by side under the last table ("Mengetahui, / Ketua RT" … "Bendahara"), each with room to sign
 * and a blank line for the name; on a page of their own when the table left no room.
 */
function drawSignatures(doc: Doc, report: ReportDocument, last: ReportTable, y: number, blocks: SignatureBlock[]): void {
  if (y + 24 + SIGNATURE_H > doc.page.height - MARGIN - 18) {
    doc.addPage({ size: 'A4', layout: last.landscape ? 'landscape' : 'portrait', margin: MARGIN });
    y = drawPageHeader(doc, report, last, true);
  }
  const top = y + 24;
  const width = doc.page.width - 2 * MARGIN;
  const slot = width / blocks.length;
  const lineWidth = Math.min(170, slot - 24);
  const centred = (text: string, x: number, at: number) =>
    doc.text(text, x + (lineWidth - doc.widthOfString(text)) / 2, at, { lineBreak: false });
  blocks.forEach((b, i) => {
    const x = MARGIN + slot * i + (slot - lineWidth) / 2;
    doc.font(FONT).fontSize(9).fillColor('#000');
    if (b.above) centred(b.above, x, top);
    doc.font(BOLD).fontSize(9);
    centred(b.role, x, top + 12);
    doc
      .moveTo(x, top + 78)
      .lineTo(x + lineWidth, top + 78)
      .lineWidth(0.6)
      .strokeColor('#000')
      .stroke();
    doc.font(FONT).fontSize(7.5).fillColor('#666');
    centred('Nama jelas', x, top + 82);
  });
}

function drawFooters(doc: Doc, report: ReportDocument): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit start a new page.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN - 8;
    const pageText = `Halaman ${i - range.start + 1} dari ${range.count}`;
    doc.font(FONT).fontSize(7).fillColor('#666');
    doc.text(`Dibuat ${report.generatedAt} · Klustera`, MARGIN, y, { lineBreak: false });
    doc.text(pageText, doc.page.width - MARGIN - doc.widthOfString(pageText), y, { lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
}

export async function reportToPdf(report: ReportDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    compress: true,
    info: { Title: `${report.title} ${report.subtitle}`, Author: report.estate.name, Creator: 'Klustera' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const fast = new FastText(doc, FONT, BOLD);
  let y = 0;
  for (const table of report.tables) y = drawTable(doc, report, table, fast);
  const last = report.tables.at(-1);
  if (report.signatures?.length && last) drawSignatures(doc, report, last, y, report.signatures);
  drawFooters(doc, report);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
