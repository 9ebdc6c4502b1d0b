import type { EstateHeader, ReportDocument } from './report-table.ts';

/**
 * A unit's payment history: every payment with what it paid for and whether it was reversed. Reversed payments stay
 * in the list (money records are never removed) but count nothing towards the total.
 */
export interface HistoryPayment {
  id: string;
  number: string;
  amount: number;
  method: string;
  paid_at: string;
  reference: string | null;
  source: string;
}

export interface HistoryAllocation {
  payment_id: string;
  invoice_number: string;
  period: string;
  amount: number;
}

export interface HistoryReversal {
  payment_id: string;
  reason: string;
  created_at: string;
}

export interface PaymentHistoryItem extends HistoryPayment {
  allocations: Array<{ invoice_number: string; period: string; amount: number }>;
  /** Paid beyond the invoices it settled: went to the unit's credit (saldo titipan). */
  to_credit: number;
  reversed: { reason: string; at: string } | null;
}

export interface PaymentHistory {
  unit: { id: string; code: string; resident: string | null };
  payments: PaymentHistoryItem[];
  total_paid: number;
  credit: number;
  outstanding: number;
}

export const METHOD_LABELS: Record<string, string> = {
  cash: 'Tunai',
  bank_transfer: 'Transfer bank',
  qris: 'QRIS',
  ewallet: 'Dompet digital',
  other: 'Lainnya',
};

export function buildPaymentHistory(
  unit: PaymentHistory['unit'],
  payments: HistoryPayment[],
  allocations: HistoryAllocation[],
  reversals: HistoryReversal[],
  balances: { credit: number; outstanding: number },
): PaymentHistory {
  // Positive rows are what a payment paid for; negative rows (reversal, void) take it back. Both are kept: the
  // first to show where the money went, the net to know what is still in force.
  const allocByPayment = new Map<string, Map<string, { invoice_number: string; period: string; amount: number; net: number }>>();
  for (const a of allocations) {
    let perInvoice = allocByPayment.get(a.payment_id);
    if (!perInvoice) allocByPayment.set(a.payment_id, (perInvoice = new Map()));
    const amount = Number(a.amount);
    const prev = perInvoice.get(a.invoice_number) ?? { invoice_number: a.invoice_number, period: a.period, amount: 0, net: 0 };
    if (amount > 0) prev.amount += amount;
    prev.net += amount;
    perInvoice.set(a.invoice_number, prev);
  }
  const reversalOf = new Map(reversals.map((r) => [r.payment_id, r]));
  const items = [...payments]
    .sort((a, b) => b.paid_at.localeCompare(a.paid_at) || b.number.localeCompare(a.number))
    .map((p) => {
      const reversal = reversalOf.get(p.id);
      const rows = [...(allocByPayment.get(p.id)?.values() ?? [])].sort((a, b) => a.period.localeCompare(b.period));
      const inForce = rows.reduce((s, a) => s + a.net, 0);
      return {
        ...p,
        amount: Number(p.amount),
        allocations: rows.map(({ invoice_number, period, amount }) => ({ invoice_number, period, amount })),
        to_credit: reversal ? 0 : Math.max(0, Number(p.amount) - inForce),
        reversed: reversal ? { reason: reversal.reason, at: reversal.created_at } : null,
      };
    });
  return {
    unit,
    payments: items,
    total_paid: items.filter((p) => !p.reversed).reduce((s, p) => s + p.amount, 0),
    credit: balances.credit,
    outstanding: balances.outstanding,
  };
}

export function paymentHistoryDocument(
  history: PaymentHistory,
  estate: EstateHeader,
  generatedAt: string,
  formatDate: (iso: string) => string,
): ReportDocument {
  return {
    filename: `riwayat-pembayaran-${history.unit.code.replace(/[^A-Za-z0-9-]/g, '_')}`,
    title: 'Riwayat Pembayaran',
    subtitle: `Unit ${history.unit.code}${history.unit.resident ? ` · ${history.unit.resident}` : ''}`,
    estate,
    generatedAt,
    tables: [
      {
        sheet: 'Pembayaran',
        title: 'Pembayaran',
        columns: [
          { key: 'date', header: 'Tanggal', kind: 'text', width: 14 },
          { key: 'number', header: 'No. pembayaran', kind: 'text', width: 18 },
          { key: 'method', header: 'Metode', kind: 'text', width: 14 },
          { key: 'for', header: 'Untuk tagihan', kind: 'text', width: 34 },
          { key: 'status', header: 'Status', kind: 'text', width: 12 },
          { key: 'amount', header: 'Jumlah', kind: 'rupiah', width: 16 },
        ],
        rows: [
          ...history.payments.map((p) => ({
            cells: {
              date: formatDate(p.paid_at),
              number: p.number,
              method: METHOD_LABELS[p.method] ?? p.method,
              for: [
                ...p.allocations.filter((a) => a.amount > 0).map((a) => a.invoice_number),
                ...(p.to_credit > 0 ? ['saldo titipan'] : []),
              ].join(', '),
              status: p.reversed ? 'dibatalkan' : 'sah',
              amount: p.amount,
            },
          })),
          {
            cells: { date: 'Jumlah', number: '', method: '', for: '', status: '', amount: history.total_paid },
            emphasis: 'total' as const,
          },
          { cells: { date: 'Saldo titipan', number: '', method: '', for: '', status: '', amount: history.credit } },
          { cells: { date: 'Sisa tagihan', number: '', method: '', for: '', status: '', amount: history.outstanding } },
        ],
      },
    ],
  };
}
