import { describe, expect, it } from 'vitest';
import { collectionByMonth } from './collection-rate.ts';

describe('collectionByMonth', () => {
  it('counts what was paid against what was billed, capped at billed, with a rate', () => {
    const months = collectionByMonth(
      ['2026-10', '2026-11', '2026-12'],
      [
        { unit_id: 'a', period: '2026-11', total: 100_000, paid: 100_000, credited: 0, voided: false },
        { unit_id: 'b', period: '2026-11', total: 100_000, paid: 50_000, credited: 0, voided: false },
        { unit_id: 'c', period: '2026-11', total: 100_000, paid: 0, credited: 0, voided: false },
        { unit_id: 'd', period: '2026-11', total: 100_000, paid: 0, credited: 0, voided: true },
        { unit_id: 'a', period: '2026-10', total: 100_000, paid: 100_000, credited: 40_000, voided: false },
      ],
    );
    const nov = months[1];
    expect(nov).toMatchObject({ invoices: 3, billed: 300_000, collected: 150_000, outstanding: 150_000, rate: 0.5 });
    expect(months[0]).toMatchObject({ billed: 60_000, collected: 60_000, rate: 1 });
    expect(months[2]).toMatchObject({ billed: 0, rate: null });
  });
});
