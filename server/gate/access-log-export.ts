import type ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { AccessLogEntry } from './access-log-store.ts';
import { REASON_TEXT_ID } from './reason-text.ts';

const DIRECTION_TEXT: Record<string, string> = { in: 'Masuk', out: 'Keluar' };
const VERDICT_TEXT: Record<string, string> = { accepted: 'Diterima', rejected: 'Ditolak' };

// One formatter per zone: building one costs far more than formatting with it, and an export formats every row.
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function localTime(iso: string, timezone: string): string {
  let format = timeFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('id-ID', { dateStyle: 'short', timeStyle: 'medium', timeZone: timezone });
    timeFormats.set(timezone, format);
  }
  return format.format(new Date(iso));
}

function rowCells(e: AccessLogEntry, timezone: string): string[] {
  return [
    localTime(e.occurred_at, timezone),
    DIRECTION_TEXT[e.direction] ?? e.direction,
    VERDICT_TEXT[e.verdict] ?? e.verdict,
    e.reason ? (REASON_TEXT_ID[e.reason as keyof typeof REASON_TEXT_ID] ?? e.reason) : '',
    e.person_name ?? '',
    e.unit_code ?? '',
    e.plate ?? '',
    e.purpose ?? '',
    e.gate_name ?? '',
    e.guard_name ?? '',
  ];
}

const HEADERS = ['Waktu', 'Arah', 'Keputusan', 'Alasan', 'Nama', 'Unit', 'No. polisi', 'Keperluan', 'Gerbang', 'Petugas'];

export async function accessLogXlsx(entries: AccessLogEntry[], estateName: string, timezone: string): Promise<Buffer> {
  // Loaded on first use: exceljs is a large share of the server's start-up, and only exports need it.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Klustera';
  const sheet = workbook.addWorksheet('Buku tamu');
  sheet.addRow([`Log akses — ${estateName}`]).font = { bold: true, size: 13 };
  sheet.addRow([]);
  const header = sheet.addRow(HEADERS);
  header.font = { bold: true };
  for (const e of entries) sheet.addRow(rowCells(e, timezone));
  [20, 8, 11, 22, 26, 10, 14, 24, 18, 18].forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  sheet.views = [{ state: 'frozen', ySplit: 3 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function accessLogPdf(entries: AccessLogEntry[], estateName: string, timezone: string, capped: boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 30, info: { Title: `Log akses ${estateName}` } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(14).text(`Log akses — ${estateName}`);
    doc
      .font('Helvetica')
      .fontSize(8)
      .text(`${entries.length} baris${capped ? ' (dibatasi; persempit filter untuk data lengkap)' : ''}`);
    doc.moveDown(0.5);
    const widths = [78, 38, 46, 80, 120, 40, 60, 110, 80, 80];
    const drawRow = (cells: string[], bold: boolean) => {
      if (doc.y > doc.page.height - 50) doc.addPage();
      const y = doc.y;
      let x = doc.page.margins.left;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(7.5);
      cells.forEach((cell, i) => {
        doc.text(cell, x, y, { width: widths[i] - 4, height: 20, ellipsis: true, lineBreak: false });
        x += widths[i];
      });
      doc.x = doc.page.margins.left;
      doc.y = y + 12;
    };
    drawRow(HEADERS, true);
    for (const e of entries) drawRow(rowCells(e, timezone), false);
    doc.end();
  });
}
