import { formatRupiah, rupiah } from '../money/rupiah.ts';
import { localPaidAt, methodLabel, type ReceiptData } from './receipt-data.ts';

/**
 * What a phone shows after scanning a receipt's QR: the facts printed on the receipt and whether the ledger still
 * stands behind it. Nothing beyond what the paper already says.
 */
export function publicReceiptView(data: ReceiptData) {
  return {
    valid: data.status === 'valid',
    status: data.status,
    estate_name: data.estate.name,
    receipt_number: data.receipt_number,
    payment_number: data.payment_number,
    unit_code: data.unit_code,
    payer_name: data.payer_name,
    paid_at: data.paid_at,
    paid_at_local: localPaidAt(data),
    method: data.method,
    amount: data.amount,
    amount_formatted: formatRupiah(rupiah(data.amount)),
    amount_words: data.amount_words,
    items: data.items,
    received_by: data.received_by,
  };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)}</title><style>
body{font-family:system-ui,sans-serif;max-width:28rem;margin:1.5rem auto;padding:0 1rem;color:#111}
.badge{display:inline-block;padding:.4rem .8rem;border-radius:.4rem;font-weight:700;color:#fff}
.ok{background:#1b7f3b}.bad{background:#b00020}table{width:100%;border-collapse:collapse;margin:1rem 0}
td{padding:.3rem 0;vertical-align:top}td:last-child{text-align:right;font-weight:600}small{color:#555}
</style></head><body>${body}</body></html>`;
}

export function verifyPageHtml(view: ReturnType<typeof publicReceiptView>): string {
  const badge = view.valid
    ? '<span class="badge ok">SAH — tercatat di buku kas</span>'
    : '<span class="badge bad">DIBATALKAN — pembayaran ini telah dibatalkan</span>';
  const rows: [string, string][] = [
    ['No. Kuitansi', view.receipt_number],
    ['No. Pembayaran', view.payment_number],
    ['Unit', view.unit_code],
    ...(view.payer_name ? [['Diterima dari', view.payer_name] as [string, string]] : []),
    ['Tanggal', view.paid_at_local],
    ['Metode', methodLabel(view.method)],
    ...view.items.map((i) => [i.description, formatRupiah(rupiah(i.amount))] as [string, string]),
    ['Jumlah', view.amount_formatted],
    ['Diterima oleh', view.received_by ?? '-'],
  ];
  return page(
    `Kuitansi ${view.receipt_number}`,
    `<h1>${escape(view.estate_name)}</h1>${badge}<table>${rows
      .map(([k, v]) => `<tr><td>${escape(k)}</td><td>${escape(v)}</td></tr>`)
      .join('')}</table><p><small>Terbilang: ${escape(view.amount_words)}</small></p>`,
  );
}

export function notFoundPageHtml(): string {
  return page(
    'Kuitansi tidak dikenal',
    '<h1>Kuitansi tidak dikenal</h1><span class="badge bad">TIDAK SAH</span><p>Kode pada kuitansi ini tidak tercatat. Hubungi bendahara perumahan.</p>',
  );
}
