import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rupiah, type Rupiah } from '../money/rupiah.ts';
import { AllocationError, allocateToOldestInvoices, applyCreditToInvoices, planPaymentReversal, type OpenInvoice } from './allocation.ts';

const inv = (id: string, sort_key: string, outstanding: number): OpenInvoice => ({ id, sort_key, outstanding: rupiah(outstanding) });

describe('allocation', () => {
  const open = [inv('b', '2026-11', 100), inv('a', '2026-10', 50), inv('c', '2026-12', 70)];

  it('pays the oldest invoices first and keeps the rest as credit', () => {
    expect(allocateToOldestInvoices(rupiah(120), open)).toEqual({
      allocations: [
        { invoice_id: 'a', amount: 50 },
        { invoice_id: 'b', amount: 70 },
      ],
      excess: 0,
    });
    expect(allocateToOldestInvoices(rupiah(300), open).excess).toBe(80);
  });

  it('pays only the chosen invoices and never spills onto others', () => {
    expect(allocateToOldestInvoices(rupiah(120), open, ['c'])).toEqual({
      allocations: [{ invoice_id: 'c', amount: 70 }],
      excess: 50,
    });
    expect(() => allocateToOldestInvoices(rupiah(1), open, ['zzz'])).toThrow(AllocationError);
    expect(() => allocateToOldestInvoices(rupiah(1), [inv('p', '2026-01', 0)], ['p'])).toThrow(AllocationError);
  });

  it('applies no more credit than is owed', () => {
    expect(applyCreditToInvoices(rupiah(500), open)).toMatchObject({ used: 220 });
    expect(applyCreditToInvoices(rupiah(0), open)).toEqual({ allocations: [], used: 0 });
  });

  it('claws back the newest credit allocations when spent credit is reversed', () => {
    const plan = planPaymentReversal({
      amount: rupiah(300),
      paymentAllocations: [{ allocation_id: '01', invoice_id: 'a', amount: rupiah(100) }],
      creditBalance: rupiah(50),
      creditAllocations: [
        { allocation_id: '02', invoice_id: 'b', amount: rupiah(100) },
        { allocation_id: '03', invoice_id: 'c', amount: rupiah(100) },
      ],
    });
    expect(plan.creditRemoved).toBe(200);
    expect(plan.clawback).toEqual([
      { allocation_id: '03', invoice_id: 'c', amount: 100 },
      { allocation_id: '02', invoice_id: 'b', amount: 50 },
    ]);
    expect(plan.creditReturned).toBe(150);
  });

  it('refuses to reverse a payment whose credit was refunded', () => {
    const attempt = () =>
      planPaymentReversal({
        amount: rupiah(100),
        paymentAllocations: [],
        creditBalance: rupiah(40),
        creditAllocations: [],
      });
    expect(attempt).toThrow(expect.objectContaining({ code: 'CREDIT_REFUNDED' }));
  });
});

/**
 * A unit's ledger kept in memory with exactly the rules the services apply in SQL: allocations are append-only
 * signed rows, credit is the sum of credit movements.
 */
class Ledger {
  invoices = new Map<string, { due: number; voided: boolean; seq: number }>();
  allocations: Array<{ id: string; invoice_id: string; payment_id: string | null; amount: number }> = [];
  payments = new Map<string, { amount: number; reversed: boolean }>();
  credit = 0;
  refunded = 0;
  private n = 0;

  private nextId() {
    return String(++this.n).padStart(8, '0');
  }
  allocatedTo(invoiceId: string) {
    return this.allocations.filter((a) => a.invoice_id === invoiceId).reduce((s, a) => s + a.amount, 0);
  }
  open(): OpenInvoice[] {
    return [...this.invoices]
      .filter(([, i]) => !i.voided)
      .map(([id, i]) => inv(id, String(i.seq).padStart(6, '0'), i.due - this.allocatedTo(id)))
      .filter((i) => i.outstanding > 0);
  }
  private live(filter: (a: Ledger['allocations'][number]) => boolean) {
    const byOriginal = new Map<string, { allocation_id: string; invoice_id: string; amount: Rupiah }>();
    for (const a of this.allocations.filter(filter)) {
      const key = `${a.invoice_id}|${a.payment_id}`;
      const prev = byOriginal.get(key);
      byOriginal.set(key, {
        allocation_id: prev?.allocation_id ?? a.id,
        invoice_id: a.invoice_id,
        amount: rupiah((prev?.amount ?? 0) + a.amount),
      });
    }
    return [...byOriginal.values()].filter((a) => a.amount > 0);
  }
  private write(invoice_id: string, payment_id: string | null, amount: number) {
    this.allocations.push({ id: this.nextId(), invoice_id, payment_id, amount });
  }

  bill(amount: number) {
    const id = `i${this.nextId()}`;
    this.invoices.set(id, { due: amount, voided: false, seq: this.n });
    const { allocations, used } = applyCreditToInvoices(rupiah(this.credit), this.open());
    for (const a of allocations) this.write(a.invoice_id, null, a.amount);
    this.credit -= used;
  }
  pay(amount: number, pick: number[]) {
    const id = `p${this.nextId()}`;
    const open = this.open();
    const chosen = pick.map((k) => open[k % Math.max(open.length, 1)]?.id).filter(Boolean) as string[];
    const { allocations, excess } = allocateToOldestInvoices(rupiah(amount), open, chosen);
    for (const a of allocations) this.write(a.invoice_id, id, a.amount);
    this.credit += excess;
    this.payments.set(id, { amount, reversed: false });
  }
  reverse(k: number) {
    const live = [...this.payments].filter(([, p]) => !p.reversed);
    if (!live.length) return;
    const [id, p] = live[k % live.length];
    let plan: ReturnType<typeof planPaymentReversal>;
    try {
      plan = planPaymentReversal({
        amount: rupiah(p.amount),
        paymentAllocations: this.live((a) => a.payment_id === id),
        creditBalance: rupiah(this.credit),
        creditAllocations: this.live((a) => a.payment_id === null),
      });
    } catch (err) {
      // Refused only when the money really left as a refund; nothing is written then.
      if (!(err instanceof AllocationError) || err.code !== 'CREDIT_REFUNDED' || this.refunded === 0) throw err;
      return;
    }
    for (const a of plan.reverse) this.write(a.invoice_id, id, -a.amount);
    for (const a of plan.clawback) this.write(a.invoice_id, null, -a.amount);
    this.credit += plan.creditReturned - plan.creditRemoved;
    p.reversed = true;
  }
  voidInvoice(k: number) {
    const ids = [...this.invoices].filter(([, i]) => !i.voided).map(([id]) => id);
    if (!ids.length) return;
    const id = ids[k % ids.length];
    // Money that paid a voided invoice goes back to the unit as credit.
    for (const a of this.live((x) => x.invoice_id === id)) {
      this.write(id, this.allocations.find((x) => x.id === a.allocation_id)!.payment_id, -a.amount);
      this.credit += a.amount;
    }
    this.invoices.get(id)!.voided = true;
  }
  refund(fraction: number) {
    const amount = Math.floor(this.credit * fraction);
    this.credit -= amount;
    this.refunded += amount;
  }
}

const op = fc.oneof(
  fc.record({ t: fc.constant('bill' as const), amount: fc.integer({ min: 1, max: 500_000 }) }),
  fc.record({ t: fc.constant('pay' as const), amount: fc.integer({ min: 1, max: 1_000_000 }), pick: fc.array(fc.nat(), { maxLength: 3 }) }),
  fc.record({ t: fc.constant('reverse' as const), k: fc.nat() }),
  fc.record({ t: fc.constant('void' as const), k: fc.nat() }),
  fc.record({ t: fc.constant('refund' as const), f: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

describe('ledger invariants (property)', () => {
  it('billed − allocated = outstanding, credit ≥ 0, nothing allocated twice, money conserved', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const l = new Ledger();
        for (const o of ops) {
          if (o.t === 'bill') l.bill(o.amount);
          else if (o.t === 'pay') l.pay(o.amount, o.pick);
          else if (o.t === 'reverse') l.reverse(o.k);
          else if (o.t === 'void') l.voidInvoice(o.k);
          else l.refund(o.f);

          expect(l.credit).toBeGreaterThanOrEqual(0);
          let billed = 0;
          let allocated = 0;
          for (const [id, i] of l.invoices) {
            const a = l.allocatedTo(id);
            // Never allocated beyond what is due, never net negative; a void invoice holds nothing.
            expect(a).toBeGreaterThanOrEqual(0);
            expect(a).toBeLessThanOrEqual(i.voided ? 0 : i.due);
            if (!i.voided) billed += i.due;
            allocated += a;
          }
          const outstanding = l.open().reduce((s, i) => s + i.outstanding, 0);
          expect(billed - allocated).toBe(outstanding);
          // Each payment's net allocations per invoice are ≥ 0, and a reversed payment holds nothing.
          for (const [pid, p] of l.payments) {
            const held = l.allocations.filter((a) => a.payment_id === pid).reduce((s, a) => s + a.amount, 0);
            expect(held).toBeGreaterThanOrEqual(0);
            if (p.reversed) expect(held).toBe(0);
          }
          const paidIn = [...l.payments.values()].filter((p) => !p.reversed).reduce((s, p) => s + p.amount, 0);
          expect(paidIn - l.refunded).toBe(allocated + l.credit);
        }
      }),
      { numRuns: 300 },
    );
  });
});
