import { describe, expect, it } from 'vitest';
import { buildPaymentHistory } from './payment-history.ts';

describe('buildPaymentHistory', () => {
  const history = buildPaymentHistory(
    { id: 'u', code: 'A-12', resident: 'Budi' },
    [
      {
        id: 'p1',
        number: 'PAY20261101001',
        amount: 300_000,
        method: 'cash',
        paid_at: '2026-11-01T03:00:00Z',
        reference: null,
        source: 'office',
      },
      {
        id: 'p2',
        number: 'PAY20261105001',
        amount: 150_000,
        method: 'bank_transfer',
        paid_at: '2026-11-05T03:00:00Z',
        reference: 'TRX1',
        source: 'office',
      },
    ],
    [
      { payment_id: 'p1', invoice_number: 'INV/2026/11/0001', period: '2026-11', amount: 150_000 },
      { payment_id: 'p2', invoice_number: 'INV/2026/10/0001', period: '2026-10', amount: 150_000 },
      { payment_id: 'p2', invoice_number: 'INV/2026/10/0001', period: '2026-10', amount: -150_000 },
    ],
    [{ payment_id: 'p2', reason: 'salah unit', created_at: '2026-11-06T00:00:00Z' }],
    { credit: 150_000, outstanding: 150_000 },
  );

  it('lists newest first, with the excess going to credit and reversed payments marked and not counted', () => {
    expect(history.payments.map((p) => p.number)).toEqual(['PAY20261105001', 'PAY20261101001']);
    expect(history.payments[1].to_credit).toBe(150_000);
    expect(history.payments[0].reversed).toEqual({ reason: 'salah unit', at: '2026-11-06T00:00:00Z' });
    expect(history.payments[0].allocations).toEqual([{ invoice_number: 'INV/2026/10/0001', period: '2026-10', amount: 150_000 }]);
    expect(history.total_paid).toBe(300_000);
  });
});
