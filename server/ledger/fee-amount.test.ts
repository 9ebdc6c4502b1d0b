import { describe, expect, it } from 'vitest';
import { rupiah } from '../money/rupiah.ts';
import { feeLineForUnit, feeLinesForUnit, rateInForce, type FeeDefinition, type FeeRate } from './fee-amount.ts';
import { lateFeeFor } from './late-fee.ts';
import { parsePeriod as p } from '../calendar/calendar.ts';
import { formatInvoiceNumber, formatPaymentNumber, parseInvoiceNumber, parsePaymentNumber } from './numbering.ts';

const rate = (id: string, from: string, amount: number, byType: FeeRate['amounts_by_type'] = null): FeeRate => ({
  id,
  effective_from: p(from),
  amount: rupiah(amount),
  amounts_by_type: byType,
});

const ipl: FeeDefinition = {
  id: 'fee-ipl',
  code: 'IPL',
  name: 'IPL',
  basis: 'flat',
  unit_types: null,
  vacant_rule: { mode: 'exempt' },
  rates: [rate('r1', '2026-01', 150000, { ruko: rupiah(300000) }), rate('r2', '2026-07', 175000)],
};
const rumah = { id: 'u1', type: 'rumah', land_area_m2: 72.5, occupancy: 'occupied' };

describe('fee amount for a unit', () => {
  it('uses the rate in force for the period, never a later one', () => {
    expect(rateInForce(ipl.rates, p('2025-12'))).toBeUndefined();
    expect(rateInForce(ipl.rates, p('2026-06'))?.id).toBe('r1');
    expect(rateInForce(ipl.rates, p('2026-07'))?.id).toBe('r2');
    expect(rateInForce(ipl.rates, p('2027-03'))?.id).toBe('r2');
    expect(feeLineForUnit(ipl, rumah, p('2026-06'))?.amount).toBe(150000);
    expect(feeLineForUnit(ipl, rumah, p('2026-07'))?.amount).toBe(175000);
    expect(feeLineForUnit(ipl, rumah, p('2025-12'))).toBeNull();
  });

  it('lets the last correction with the same effective month win', () => {
    const rates = [rate('a', '2026-01', 100), rate('b', '2026-01', 120), rate('c', '2026-03', 130)];
    expect(rateInForce(rates, p('2026-02'))?.id).toBe('b');
  });

  it('charges by unit type', () => {
    expect(feeLineForUnit(ipl, { ...rumah, type: 'ruko' }, p('2026-02'))?.amount).toBe(300000);
    const rukoOnly: FeeDefinition = { ...ipl, unit_types: ['ruko'] };
    expect(feeLineForUnit(rukoOnly, rumah, p('2026-02'))).toBeNull();
  });

  it('charges per m² of land exactly and skips units without an area', () => {
    const kebersihan: FeeDefinition = { ...ipl, id: 'k', basis: 'per_m2', rates: [rate('k1', '2026-01', 1000)] };
    const line = feeLineForUnit(kebersihan, rumah, p('2026-02'));
    expect(line).toMatchObject({ amount: 72500, quantity: '72.5', unit_amount: 1000 });
    expect(feeLineForUnit(kebersihan, { ...rumah, land_area_m2: 0.1 }, p('2026-02'))?.amount).toBe(100);
    expect(feeLineForUnit(kebersihan, { ...rumah, land_area_m2: null }, p('2026-02'))).toBeNull();
  });

  it('applies the vacant rule to vacant and unfinished units only', () => {
    const vacant = { ...rumah, occupancy: 'vacant' };
    expect(feeLineForUnit(ipl, vacant, p('2026-02'))).toBeNull();
    expect(feeLineForUnit(ipl, { ...rumah, occupancy: 'under_construction' }, p('2026-02'))).toBeNull();
    const discounted: FeeDefinition = { ...ipl, vacant_rule: { mode: 'discount', percent: 50 } };
    expect(feeLineForUnit(discounted, vacant, p('2026-02'))?.amount).toBe(75000);
    expect(feeLineForUnit(discounted, rumah, p('2026-02'))?.amount).toBe(150000);
    const charged: FeeDefinition = { ...ipl, vacant_rule: { mode: 'charge' } };
    expect(feeLineForUnit(charged, vacant, p('2026-02'))?.amount).toBe(150000);
    const free: FeeDefinition = { ...ipl, vacant_rule: { mode: 'discount', percent: 100 } };
    expect(feeLineForUnit(free, vacant, p('2026-02'))).toBeNull();
  });

  it('builds one line per applicable fee', () => {
    const security: FeeDefinition = {
      ...ipl,
      id: 'sec',
      name: 'Keamanan',
      vacant_rule: { mode: 'charge' },
      rates: [rate('s', '2026-01', 50000)],
    };
    expect(feeLinesForUnit([ipl, security], rumah, p('2026-03')).map((l) => l.amount)).toEqual([150000, 50000]);
    expect(feeLinesForUnit([ipl, security], { ...rumah, occupancy: 'vacant' }, p('2026-03')).map((l) => l.fee_type_id)).toEqual(['sec']);
  });
});

describe('late fee', () => {
  const inv = { due_date: '2026-11-10', outstanding: rupiah(150000) };
  it('starts only after N days past the due date', () => {
    const rule = { mode: 'flat' as const, amount: 10000, after_days: 7 };
    expect(lateFeeFor(inv, '2026-11-17', rule)).toBe(0);
    expect(lateFeeFor(inv, '2026-11-18', rule)).toBe(10000);
    expect(lateFeeFor({ ...inv, outstanding: rupiah(0) }, '2026-12-30', rule)).toBe(0);
    expect(lateFeeFor(inv, '2026-12-30', null)).toBe(0);
  });
  it('charges a percent of what is still owed', () => {
    const rule = { mode: 'percent' as const, percent: 2.5, after_days: 0 };
    expect(lateFeeFor({ ...inv, outstanding: rupiah(100001) }, '2026-11-11', rule)).toBe(2500);
  });
});

describe('numbering', () => {
  it('formats and parses invoice and payment numbers', () => {
    expect(formatInvoiceNumber(p('2026-11'), 1)).toBe('INV/2026/11/0001');
    expect(formatInvoiceNumber(p('2026-11'), 12345)).toBe('INV/2026/11/12345');
    expect(parseInvoiceNumber('INV/2026/11/0042')).toEqual({ site: '', period: '2026-11', seq: 42 });
    expect(parseInvoiceNumber('INV/2026/11/42')).toBeNull();
    expect(formatPaymentNumber('2026-11-21', 1)).toBe('PAY20261121001');
    expect(parsePaymentNumber('PAY20261121001')).toEqual({ site: '', localDate: '2026-11-21', seq: 1 });
    expect(() => formatPaymentNumber('2026-11-21', 0)).toThrow();
  });
});
