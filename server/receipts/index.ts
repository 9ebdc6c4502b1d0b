/** The receipts' public face: what other domains (messages) may use. */
import type { ScopedStore } from '../db/scoped-store.ts';
import { receiptSettings } from '../settings/index.ts';
import { renderReceiptPdf } from './receipt-pdf.ts';
import { ensureReceipt, loadReceiptData, printCount } from './receipt-store.ts';

/** The payment's kuitansi as a PDF copy (not a counted print), for sending by email. */
export async function receiptPdfCopy(store: ScopedStore, paymentId: string, publicUrl: string): Promise<{ filename: string; pdf: Buffer }> {
  const receipt = await ensureReceipt(store, paymentId);
  const data = await loadReceiptData(store, receipt, publicUrl);
  const settings = await receiptSettings(store);
  const prints = await printCount(store, receipt.id);
  const pdf = await renderReceiptPdf(
    data,
    { print_number: prints + 1, unrecorded: true },
    { paper: settings.paper, signer_title: settings.signer_title, footer: settings.footer },
  );
  return { filename: `kuitansi-${data.receipt_number}.pdf`, pdf };
}
