import type { LayoutBlock, PrintLayout } from '../devices/print-layout.ts';
import { formatRupiah, rupiah } from '../money/rupiah.ts';
import { copyLabel, estateLine, localPaidAt, methodLabel, type PrintMark, type ReceiptData } from './receipt-data.ts';

/** The thermal slip: the same facts as the PDF, stacked for 32 or 48 columns, the QR as a raster image. */
export function receiptLayout(
  data: ReceiptData,
  mark: PrintMark,
  extra: { signer_title?: string | null; footer?: string | null } = {},
): PrintLayout {
  const rp = (n: number) => formatRupiah(rupiah(n));
  const blocks: LayoutBlock[] = [{ kind: 'text', text: data.estate.name, align: 'center', bold: true, size: 'large' }];
  const sub = estateLine(data.estate);
  if (sub) blocks.push({ kind: 'text', text: sub, align: 'center' });
  blocks.push({ kind: 'rule', char: '=' }, { kind: 'text', text: 'KUITANSI PEMBAYARAN', align: 'center', bold: true });
  const copy = copyLabel(mark);
  if (copy) blocks.push({ kind: 'text', text: `*** ${copy} ***`, align: 'center', bold: true });
  if (data.status === 'reversed') blocks.push({ kind: 'text', text: '*** DIBATALKAN / REVERSED ***', align: 'center', bold: true });
  blocks.push(
    { kind: 'rule' },
    { kind: 'pair', left: 'No. Kuitansi', right: data.receipt_number },
    { kind: 'pair', left: 'No. Bayar', right: data.payment_number },
    { kind: 'pair', left: 'Tanggal', right: localPaidAt(data) },
    { kind: 'pair', left: 'Unit', right: data.unit_code },
  );
  if (data.payer_name) blocks.push({ kind: 'pair', left: 'Dari', right: data.payer_name });
  blocks.push({ kind: 'pair', left: 'Metode', right: methodLabel(data.method) });
  if (data.reference) blocks.push({ kind: 'pair', left: 'Referensi', right: data.reference });
  blocks.push({ kind: 'rule' });
  for (const item of data.items) blocks.push({ kind: 'pair', left: item.description, right: rp(item.amount) });
  if (data.items.length) blocks.push({ kind: 'rule' });
  blocks.push(
    { kind: 'pair', left: 'TOTAL', right: rp(data.amount), bold: true },
    { kind: 'text', text: `Terbilang: ${data.amount_words}` },
    { kind: 'rule' },
    { kind: 'text', text: `Diterima oleh: ${data.received_by ?? '-'}${extra.signer_title ? ` (${extra.signer_title})` : ''}` },
    { kind: 'qr', data: data.verify_url, caption: 'Pindai untuk memeriksa keaslian kuitansi' },
  );
  if (extra.footer) blocks.push({ kind: 'text', text: extra.footer, align: 'center' });
  blocks.push({ kind: 'feed', lines: 2 });
  return { blocks, cut: true };
}
