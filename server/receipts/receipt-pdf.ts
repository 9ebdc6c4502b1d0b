import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatRupiah, rupiah } from '../money/rupiah.ts';
import { copyLabel, estateLine, localPaidAt, methodLabel, type PrintMark, type ReceiptData } from './receipt-data.ts';

export type ReceiptPaper = 'A5' | 'A6';

/**
 * The kuitansi as a PDF page: estate header, numbers, unit, items, the amount in figures and in words, who received
 * it, and the QR that opens the verify page. A6 is the same layout at a smaller scale.
 */
export async function renderReceiptPdf(
  data: ReceiptData,
  mark: PrintMark,
  opts: { paper: ReceiptPaper; signer_title?: string | null; footer?: string | null },
): Promise<Buffer> {
  const small = opts.paper === 'A6';
  const s = small ? 0.72 : 1;
  const margin = 36 * s;
  const doc = new PDFDocument({ size: opts.paper, margin, info: { Title: `Kuitansi ${data.receipt_number}`, Author: data.estate.name } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - margin * 2;
  const left = margin;
  const rp = (n: number) => formatRupiah(rupiah(n));
  const rule = (lineWidth: number, color: string, gapBelow: number) => {
    doc
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .lineWidth(lineWidth)
      .strokeColor(color)
      .stroke();
    doc.moveDown(gapBelow);
  };

  doc
    .font('Helvetica-Bold')
    .fontSize(15 * s)
    .text(data.estate.name, left, margin, { width, align: 'center' });
  const sub = estateLine(data.estate);
  if (sub)
    doc
      .font('Helvetica')
      .fontSize(8.5 * s)
      .fillColor('#444')
      .text(sub, { width, align: 'center' });
  doc.moveDown(0.4);
  rule(1.2, '#000', 0.6);
  doc
    .fillColor('#000')
    .font('Helvetica-Bold')
    .fontSize(13 * s)
    .text('KUITANSI', { width, align: 'center', characterSpacing: 2 });
  doc
    .font('Helvetica')
    .fontSize(8 * s)
    .fillColor('#555')
    .text('Tanda terima pembayaran / Official receipt', { width, align: 'center' });
  const copy = copyLabel(mark);
  if (copy || data.status === 'reversed') {
    doc.moveDown(0.3);
    const label = [copy, data.status === 'reversed' ? 'DIBATALKAN / REVERSED' : null].filter(Boolean).join('  ·  ');
    doc
      .font('Helvetica-Bold')
      .fontSize(10 * s)
      .fillColor('#b00020')
      .text(label, { width, align: 'center' });
  }
  doc.moveDown(0.8).fillColor('#000');

  const labelWidth = 95 * s;
  const row = (label: string, value: string) => {
    const y = doc.y;
    doc
      .font('Helvetica')
      .fontSize(9 * s)
      .fillColor('#555')
      .text(label, left, y, { width: labelWidth });
    doc
      .font('Helvetica-Bold')
      .fillColor('#000')
      .text(value, left + labelWidth, y, { width: width - labelWidth });
    doc.moveDown(0.25);
  };
  row('No. Kuitansi', data.receipt_number);
  row('No. Pembayaran', data.payment_number);
  row('Tanggal bayar', localPaidAt(data));
  row('Unit', data.unit_code);
  if (data.payer_name) row('Diterima dari', data.payer_name);
  row('Metode', methodLabel(data.method) + (data.reference ? ` (ref. ${data.reference})` : ''));

  doc.moveDown(0.5);
  const amountWidth = 90 * s;
  const item = (description: string, amount: string, bold = false) => {
    const y = doc.y;
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize((bold ? 10.5 : 9) * s)
      .fillColor('#000');
    doc.text(description, left, y, { width: width - amountWidth - 6 });
    const after = doc.y;
    doc.text(amount, left + width - amountWidth, y, { width: amountWidth, align: 'right' });
    doc.y = Math.max(after, doc.y);
    doc.moveDown(0.2);
  };
  rule(0.5, '#999', 0.3);
  for (const it of data.items) item(it.description, rp(it.amount));
  if (!data.items.length) item('Pembayaran', rp(data.amount));
  rule(0.5, '#999', 0.3);
  item('JUMLAH', rp(data.amount), true);

  doc.moveDown(0.4);
  const boxY = doc.y;
  doc.font('Helvetica-Oblique').fontSize(9.5 * s);
  const wordsHeight = doc.heightOfString(`Terbilang: ${data.amount_words}`, { width: width - 12 });
  doc.rect(left, boxY, width, wordsHeight + 10).fillAndStroke('#f2f2f2', '#999');
  doc.fillColor('#000').text(`Terbilang: ${data.amount_words}`, left + 6, boxY + 5, { width: width - 12 });
  doc.y = boxY + wordsHeight + 18;

  const qr = await QRCode.toBuffer(data.verify_url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 6 });
  const qrSize = 88 * s;
  const blockY = doc.y;
  doc.image(qr, left, blockY, { width: qrSize, height: qrSize });
  doc
    .font('Helvetica')
    .fontSize(7 * s)
    .fillColor('#555')
    .text('Pindai untuk memeriksa keaslian kuitansi ini.', left, blockY + qrSize + 2, { width: qrSize + 40 });
  const signX = left + width - 150 * s;
  doc
    .font('Helvetica')
    .fontSize(9 * s)
    .fillColor('#000')
    .text('Diterima oleh,', signX, blockY, { width: 150 * s, align: 'center' });
  doc.font('Helvetica-Bold').text(data.received_by ?? '-', signX, blockY + qrSize - 18 * s, { width: 150 * s, align: 'center' });
  doc
    .font('Helvetica')
    .fontSize(8 * s)
    .fillColor('#555')
    .text(opts.signer_title || 'Bendahara', { width: 150 * s, align: 'center' });
  if (opts.footer) {
    doc
      .font('Helvetica')
      .fontSize(7.5 * s)
      .fillColor('#555')
      .text(opts.footer, left, doc.page.height - margin - 20 * s, { width, align: 'center' });
  }
  doc.end();
  return done;
}
