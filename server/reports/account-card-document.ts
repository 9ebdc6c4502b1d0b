import type { AccountCard } from '../ledger/index.ts';
import { METHOD_LABELS } from './payment-history.ts';
import { MONTHS_SHORT_ID, periodLabel } from './period-names.ts';
import type { EstateHeader, ReportDocument, ReportRow } from './report-table.ts';

/**
 * A unit's account card as the paper statement a treasurer hands to the resident: the same lines, opening, running
 * and closing balance as the account card page, in Indonesian, with the estate header and the day it was printed by
 * the estate's calendar. Pure: built from the account card the API answers.
 */
const KIND_LABELS: Record<AccountCard['lines'][number]['kind'], string> = {
  invoice: 'Tagihan',
  credit_note: 'Nota kredit',
  void: 'Tagihan dibatalkan',
  payment: 'Pembayaran',
  reversal: 'Pembayaran dibatalkan',
  refund: 'Saldo titipan dikembalikan',
};

/** "30 Nov 2026" from an estate-local YYYY-MM-DD. */
export function dayLabel(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${d} ${MONTHS_SHORT_ID[m - 1]} ${y}`;
}

function rangeLabel(card: Pick<AccountCard, 'from' | 'to'>): string {
  if (!card.from && !card.to) return 'Semua bulan';
  return `${card.from ? periodLabel(card.from) : 'awal'} – ${card.to ? periodLabel(card.to) : 'sekarang'}`;
}

function describe(line: AccountCard['lines'][number]): string {
  const period = line.period ? ` ${periodLabel(line.period)}` : '';
  const note = line.note ? (METHOD_LABELS[line.note] ?? line.note) : '';
  const overdue = line.overdue ? ' (lewat jatuh tempo)' : '';
  return `${KIND_LABELS[line.kind]}${period}${note ? ` · ${note}` : ''}${overdue}`;
}

export function accountCardDocument(card: AccountCard, estate: EstateHeader, generatedAt: string): ReportDocument {
  const residents = card.residents.map((r) => r.name).join(', ');
  const blank = { date: '', description: '', number: '', receipt: '', debit: null, credit: null };
  const rows: ReportRow[] = [
    { cells: { ...blank, description: 'Saldo awal', balance: card.opening_balance }, emphasis: 'section' },
    ...card.lines.map((l) => ({
      cells: {
        date: dayLabel(l.date),
        description: describe(l),
        number: l.number ?? '',
        receipt: l.receipt_number ?? '',
        debit: l.amount > 0 ? l.amount : null,
        credit: l.amount < 0 ? -l.amount : null,
        balance: l.balance,
      },
    })),
    {
      cells: { ...blank, description: 'Saldo akhir', debit: card.total_debit, credit: card.total_credit, balance: card.closing_balance },
      emphasis: 'total',
    },
  ];
  return {
    filename: `kartu-akun-${card.unit.code.replace(/[^A-Za-z0-9-]/g, '_')}`,
    title: 'Rekening Koran Iuran',
    subtitle: `Unit ${card.unit.code}${residents ? ` · ${residents}` : ''} · ${rangeLabel(card)} · dicetak ${dayLabel(card.today)}`,
    estate,
    generatedAt,
    tables: [
      {
        sheet: 'Kartu akun',
        title: `Kartu akun unit ${card.unit.code}`,
        columns: [
          { key: 'date', header: 'Tanggal', kind: 'text', width: 12 },
          { key: 'description', header: 'Keterangan', kind: 'text', width: 36 },
          { key: 'number', header: 'Nomor', kind: 'text', width: 18 },
          { key: 'receipt', header: 'Kuitansi', kind: 'text', width: 17 },
          { key: 'debit', header: 'Tagihan', kind: 'rupiah', width: 15 },
          { key: 'credit', header: 'Bayar / kredit', kind: 'rupiah', width: 15 },
          { key: 'balance', header: 'Saldo', kind: 'rupiah', width: 15 },
        ],
        rows,
      },
    ],
  };
}
