import { describe, expect, it } from 'vitest';
import { allocateOldestFirst } from './transfer-proof-allocation.ts';

describe('allocateOldestFirst (the approve preview)', () => {
  const invoices = [
    { id: 'dec', period: '2026-12', number: 'INV/2026/12/0001', outstanding: 150_000 },
    { id: 'nov', period: '2026-11', number: 'INV/2026/11/0001', outstanding: 100_000 },
  ];
  it('pays the oldest month first and keeps the rest as credit', () => {
    const plan = allocateOldestFirst(invoices, 300_000);
    expect([...plan.byInvoice]).toEqual([
      ['nov', 100_000],
      ['dec', 150_000],
    ]);
    expect(plan.credit).toBe(50_000);
  });
  it('a part payment covers only the oldest', () => {
    const plan = allocateOldestFirst(invoices, 60_000);
    expect([...plan.byInvoice]).toEqual([['nov', 60_000]]);
    expect(plan.credit).toBe(0);
  });
});
