import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../tests/support/escpos-listener.ts';
import { readQrFromRaster } from '../../tests/support/raster-qr.ts';
import { renderEscPos } from '../devices/escpos-render.ts';
import { localPaidAt, type ReceiptData } from './receipt-data.ts';
import { renderReceiptPdf } from './receipt-pdf.ts';
import { receiptLayout } from './receipt-thermal.ts';

export const sampleReceipt: ReceiptData = {
  estate: { name: 'Perumahan Griya Asri', address: 'Jl. Melati Raya, Bekasi', rt: '003', rw: '011' },
  receipt_number: 'KW20261121001',
  payment_number: 'PAY20261121001',
  unit_code: 'A-12',
  payer_name: 'Budi Santoso',
  items: [
    { description: 'Iuran Pengelolaan Lingkungan, Oktober 2026', amount: 100_000 },
    { description: 'Keamanan, Oktober 2026', amount: 50_000 },
    { description: 'Iuran Pengelolaan Lingkungan, November 2026', amount: 100_000 },
    { description: 'Keamanan, November 2026', amount: 50_000 },
    { description: 'Saldo titipan (untuk tagihan berikutnya)', amount: 50_000 },
  ],
  amount: 350_000,
  amount_words: 'tiga ratus lima puluh ribu rupiah',
  method: 'cash',
  reference: null,
  paid_at: '2026-11-21T07:05:00.000Z',
  timezone: 'Asia/Jakarta',
  received_by: 'Ibu Bendahara',
  status: 'valid',
  verify_url: 'http://192.168.1.10:8080/api/v1/receipts/verify/AbCdEfGhIjKlMnOpQrStUvWx',
};

function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-'));
  try {
    fs.writeFileSync(path.join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-']).toString();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('receipt rendering', () => {
  it('PDF shows numbers, unit, items, amount in figures and words, and marks copies', async () => {
    for (const paper of ['A5', 'A6'] as const) {
      const text = pdfText(await renderReceiptPdf(sampleReceipt, { print_number: 1 }, { paper }));
      expect(text).toContain('KW20261121001');
      expect(text).toContain('PAY20261121001');
      expect(text).toContain('A-12');
      expect(text).toContain('Rp 350.000');
      expect(text.replace(/\s+/g, ' ')).toContain('tiga ratus lima puluh ribu rupiah');
      expect(text).toContain('21 November 2026 14.05');
      expect(text).not.toContain('SALINAN');
    }
    const copy = pdfText(await renderReceiptPdf({ ...sampleReceipt, status: 'reversed' }, { print_number: 3 }, { paper: 'A5' }));
    expect(copy).toContain('SALINAN / COPY ke-2');
    expect(copy).toContain('DIBATALKAN');
  });

  it('thermal slip fits 32 columns and carries the verify URL as a raster QR', async () => {
    const bytes = await renderEscPos(receiptLayout(sampleReceipt, { print_number: 2 }), { paperWidth: 58 });
    const d = decodeEscPos(bytes);
    for (const l of d.lines) expect(l.length).toBeLessThanOrEqual(32);
    expect(d.lines).toContain('*** SALINAN / COPY ke-1 ***');
    expect(d.lines.some((l) => l.startsWith('TOTAL') && l.endsWith('Rp 350.000'))).toBe(true);
    expect(d.nativeQrCommands).toBe(0);
    expect(readQrFromRaster(d.images[0])).toBe(sampleReceipt.verify_url);
  });

  it('is spelled "kuitansi" on paper, and a payment entered by date shows no hour', async () => {
    const byDate = { ...sampleReceipt, paid_at: '2026-11-21T05:00:00.000Z' }; // noon in Jakarta: the office form's date
    const d = decodeEscPos(await renderEscPos(receiptLayout(byDate, { print_number: 1 }), { paperWidth: 80 }));
    const slip = d.lines.join('\n');
    expect(slip).toContain('KUITANSI PEMBAYARAN');
    expect(slip).toContain('No. Kuitansi');
    expect(slip).not.toMatch(/kwitansi/i);
    expect(d.lines.find((l) => l.startsWith('Tanggal'))).toMatch(/21 November 2026$/);
    const pdf = pdfText(await renderReceiptPdf(byDate, { print_number: 1 }, { paper: 'A5' }));
    expect(pdf).toContain('No. Kuitansi');
    expect(pdf).not.toMatch(/kwitansi|21 November 2026 \d/i);
  });

  it('reads the start of the day, noon and midnight UTC as a date, any other instant with its time', () => {
    const at = (paid_at: string, timezone = 'Asia/Jakarta') => localPaidAt({ paid_at, timezone });
    expect(at('2026-11-20T17:00:00.000Z')).toBe('21 November 2026');
    expect(at('2026-11-21T05:00:00.000Z')).toBe('21 November 2026');
    expect(at('2026-11-21T00:00:00.000Z')).toBe('21 November 2026');
    expect(at('2026-11-21T03:00:00.000Z', 'Asia/Jayapura')).toBe('21 November 2026');
    expect(at('2026-11-21T07:05:00.000Z')).toBe('21 November 2026 14.05');
    expect(at('2026-11-21T05:00:00.001Z')).toBe('21 November 2026 12.00');
  });
});
