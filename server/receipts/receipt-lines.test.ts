import { describe, expect, it } from 'vitest';
import { receiptItemsFor, type PaidInvoice } from './receipt-lines.ts';

const nov = (extra: Partial<PaidInvoice>): PaidInvoice => ({
  number: 'INV/2026/11/0007',
  period_label: 'November 2026',
  kind: 'regular',
  lines: [
    { description: 'Iuran Pengelolaan Lingkungan', amount: 100_000 },
    { description: 'Keamanan', amount: 50_000 },
  ],
  paid_before: 0,
  allocated: 150_000,
  ...extra,
});

describe('receiptItemsFor', () => {
  it('gives each fee of a paid invoice its own line with the period', () => {
    expect(receiptItemsFor([nov({})])).toEqual([
      { description: 'Iuran Pengelolaan Lingkungan, November 2026', amount: 100_000 },
      { description: 'Keamanan, November 2026', amount: 50_000 },
    ]);
  });

  it('settles lines in order: a part payment covers the first, the next payment the rest', () => {
    expect(receiptItemsFor([nov({ allocated: 120_000 })])).toEqual([
      { description: 'Iuran Pengelolaan Lingkungan, November 2026', amount: 100_000 },
      { description: 'Keamanan, November 2026 (sebagian)', amount: 20_000 },
    ]);
    expect(receiptItemsFor([nov({ paid_before: 120_000, allocated: 30_000 })])).toEqual([
      { description: 'Keamanan, November 2026 (sebagian)', amount: 30_000 },
    ]);
  });

  it('names the invoice for what no line explains, and adds up to what was allocated', () => {
    const items = receiptItemsFor([
      nov({ lines: [], kind: 'late_fee', number: 'INV/2026/11/0100', allocated: 10_000 }),
      nov({ lines: [{ description: 'Iuran', amount: 50_000 }], allocated: 60_000 }),
    ]);
    expect(items).toEqual([
      { description: 'Denda INV/2026/11/0100, November 2026', amount: 10_000 },
      { description: 'Iuran, November 2026', amount: 50_000 },
      { description: 'Tagihan INV/2026/11/0007, November 2026', amount: 10_000 },
    ]);
  });
});
