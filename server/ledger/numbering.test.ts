import { describe, expect, it } from 'vitest';
import type { Period } from '../calendar/calendar.ts';
import {
  formatInvoiceNumber,
  firstFreeSiteCode,
  formatPaymentNumber,
  invoiceSequenceName,
  isSiteCode,
  parseInvoiceNumber,
  parsePaymentNumber,
  paymentSequenceName,
  sequenceOfNumber,
} from './numbering.ts';
import { receiptNumberFor } from '../receipts/receipt-data.ts';

const nov = '2026-11' as Period;

describe('numbers of a site with a code', () => {
  it('carry the code after the prefix and read back', () => {
    expect(formatInvoiceNumber(nov, 42, 'B')).toBe('INV-B/2026/11/0042');
    expect(parseInvoiceNumber('INV-B/2026/11/0042')).toEqual({ site: 'B', period: '2026-11', seq: 42 });
    expect(formatPaymentNumber('2026-11-21', 7, 'KR')).toBe('PAY-KR20261121007');
    expect(parsePaymentNumber('PAY-KR20261121007')).toEqual({ site: 'KR', localDate: '2026-11-21', seq: 7 });
    expect(receiptNumberFor('PAY-B20261121007')).toBe('KW-B20261121007');
  });

  it("keep the first site's numbers and counter names as they were", () => {
    expect(formatInvoiceNumber(nov, 42)).toBe('INV/2026/11/0042');
    expect(formatPaymentNumber('2026-11-21', 1, '')).toBe('PAY20261121001');
    expect(invoiceSequenceName(nov)).toBe('invoice:2026-11');
    expect(paymentSequenceName('2026-11-21')).toBe('payment:2026-11-21');
  });

  it('count on separate counters per code', () => {
    expect(invoiceSequenceName(nov, 'B')).not.toBe(invoiceSequenceName(nov));
    expect(sequenceOfNumber('INV-B/2026/11/0042')).toEqual({ name: invoiceSequenceName(nov, 'B'), site: 'B', seq: 42 });
    expect(sequenceOfNumber('PAY20261121003')).toEqual({ name: paymentSequenceName('2026-11-21'), site: '', seq: 3 });
    expect(sequenceOfNumber('KW20261121003')).toBeNull();
  });

  it('take only short codes a treasurer can read out without mistaking them for digits', () => {
    for (const good of ['', 'B', 'Z', 'KR']) expect(isSiteCode(good)).toBe(true);
    for (const bad of ['O', 'I', 'b', 'ABC', 'B1', '-', ' B', 7, null]) expect(isSiteCode(bad)).toBe(false);
    expect(() => formatInvoiceNumber(nov, 1, 'O')).toThrow(RangeError);
    expect(parseInvoiceNumber('INV-O/2026/11/0001')).toBeNull();
  });

  it('give a joining site the first code nobody in the estate has used, never the empty one', () => {
    expect(firstFreeSiteCode([])).toBe('A');
    expect(firstFreeSiteCode(['', 'A', 'B'])).toBe('C');
    expect(firstFreeSiteCode(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'])).toBe('J');
    const letters = [...'ABCDEFGHJKLMNPQRSTUVWXYZ'];
    expect(firstFreeSiteCode(['', ...letters])).toBe('AA');
    for (const code of [firstFreeSiteCode([]), firstFreeSiteCode(letters), firstFreeSiteCode([...letters, 'AA'])]) {
      expect(isSiteCode(code) && code !== '').toBe(true);
    }
  });
});
