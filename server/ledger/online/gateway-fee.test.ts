import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feeOn, grossForDues, splitVaTransfer, vaFeeFor } from './gateway-fee.ts';

describe('gateway fee rule', () => {
  it('QRIS takes 0.7% rounded up to the rupiah; a virtual account a flat Rp 4.000', () => {
    expect(feeOn('qris', 150_000)).toBe(1_050);
    expect(feeOn('qris', 100_001)).toBe(701);
    expect(feeOn('va', 150_000)).toBe(4_000);
    expect(feeOn('unknown', 150_000)).toBe(0);
  });

  it('a resident-borne fee asks the least amount from which the dues arrive whole', () => {
    expect(grossForDues('qris', 150_000)).toEqual({ gross: 151_058, fee: 1_058 });
    fc.assert(
      fc.property(fc.constantFrom('qris', 'va', 'ewallet'), fc.integer({ min: 1_000, max: 10_000_000 }), (method, dues) => {
        const { gross, fee } = grossForDues(method, dues);
        expect(gross - fee).toBe(dues);
        expect(gross - feeOn(method, gross)).toBeGreaterThanOrEqual(dues);
        expect(gross - 1 - feeOn(method, gross - 1)).toBeLessThan(dues);
      }),
    );
  });
});

describe('virtual-account transfer fee', () => {
  it("is the estate's figure for the bank, else the standard flat fee", () => {
    expect(vaFeeFor({ BCA: 5_550, BRI: 0 }, 'BCA')).toBe(5_550);
    expect(vaFeeFor({ BCA: 5_550, BRI: 0 }, 'BRI')).toBe(0);
    expect(vaFeeFor({ BCA: 5_550 }, 'BNI')).toBe(4_000);
    expect(vaFeeFor(null, 'BNI')).toBe(4_000);
  });

  it('borne by the resident comes off the transfer, unless the transfer cannot carry it', () => {
    expect(splitVaTransfer('estate', 4_000, 100_000)).toEqual({ dues: 100_000, fee: 4_000, bornBy: 'estate' });
    expect(splitVaTransfer('resident', 4_000, 104_000)).toEqual({ dues: 100_000, fee: 4_000, bornBy: 'resident' });
    expect(splitVaTransfer('resident', 4_000, 4_000)).toEqual({ dues: 4_000, fee: 4_000, bornBy: 'estate' });
  });
});
