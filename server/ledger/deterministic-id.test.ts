import { describe, expect, it } from 'vitest';
import { isUuid } from '../db/ids.ts';
import { deterministicId, invoiceLineId } from './deterministic-id.ts';

describe('invoice line ids', () => {
  const invoice = deterministicId('invoice', 'estate', 'unit', '2026-11', 'dues');

  it('are the same on every site and sort in the order the invoice lists its lines, late fees last', () => {
    const ids = [0, 1, 2, 10, 255, 4096].map((k) => invoiceLineId(invoice, k));
    const late = [invoiceLineId(invoice, { lateFeeFor: 'a' }), invoiceLineId(invoice, { lateFeeFor: 'b' })];
    for (const id of [...ids, ...late]) expect(isUuid(id), id).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect([...ids, ...late].sort().slice(0, ids.length)).toEqual(ids);
    expect(invoiceLineId(invoice, 1)).toBe(ids[1]);
    expect(invoiceLineId(invoice, { lateFeeFor: 'a' })).toBe(late[0]);
    expect(new Set([...ids, ...late]).size).toBe(ids.length + late.length);
  });

  it('differ between invoices', () => {
    const other = deterministicId('invoice', 'estate', 'unit', '2026-12', 'dues');
    expect(invoiceLineId(other, 0)).not.toBe(invoiceLineId(invoice, 0));
  });
});
