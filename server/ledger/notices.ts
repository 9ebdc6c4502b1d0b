import type { ScopedStore } from '../db/scoped-store.ts';
import { nowIso } from '../db/clock.ts';
import { NotFoundError } from '../http/errors.ts';
import { deterministicId } from './deterministic-id.ts';
import type { NoticeAnswer, NoticeKind } from './notice-schemas.ts';

export { NOTICE_KINDS, type NoticeKind } from './notice-schemas.ts';

export interface LedgerNoticeInput {
  kind: NoticeKind;
  unitId: string;
  invoiceId?: string;
  paymentId?: string;
  amount?: number;
  /** What makes two raisings the same notice (e.g. `overpayment:<invoice>:<payment>`). */
  dedupeKey: string;
  details?: Record<string, unknown>;
}

type NoticeRow = {
  id: string;
  kind: NoticeKind;
  unit_id: string;
  invoice_id: string | null;
  payment_id: string | null;
  amount: number | string | null;
  details: string | null;
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
};

/** The id a notice has on every site: the same estate and dedupe key always name the same row. */
export function noticeId(estateId: string, dedupeKey: string): string {
  return deterministicId('ledger_notice', estateId, dedupeKey);
}

/**
 * Raises a reconciliation notice for the office, in the caller's transaction when there is one. Raising the same
 * dedupe key again (a retried job, the other site seeing the same overlap) writes nothing; the id is derived from the
 * key, so notices raised apart on two sites meet as one row when they sync. True when this call wrote the notice.
 */
export async function raiseLedgerNotice(store: ScopedStore, input: LedgerNoticeInput): Promise<boolean> {
  const at = nowIso();
  const written = await store.insertUnlessExists(
    'ledger_notices',
    {
      id: noticeId(store.estateId, input.dedupeKey),
      kind: input.kind,
      unit_id: input.unitId,
      invoice_id: input.invoiceId ?? null,
      payment_id: input.paymentId ?? null,
      amount: input.amount ?? null,
      dedupe_key: input.dedupeKey,
      details: input.details ? JSON.stringify(input.details) : null,
      created_at: at,
      updated_at: at,
    },
    ['id'],
    `ledger_notices.raise.${input.kind}`,
  );
  if (written) await store.announce('ledger', input.unitId);
  return written !== undefined;
}

const NOTICE_SELECT = `select n.*, u.code as unit_code, i.number as invoice_number, p.number as payment_number
  from ledger_notices n
  left join units u on u.id = n.unit_id and u.estate_id = n.estate_id
  left join invoices i on i.id = n.invoice_id and i.estate_id = n.estate_id
  left join payments p on p.id = n.payment_id and p.estate_id = n.estate_id
  where n.estate_id = :estate_id and n.deleted_at is null`;

function answer(
  row: NoticeRow & { unit_code?: string | null; invoice_number?: string | null; payment_number?: string | null },
): NoticeAnswer {
  let details: Record<string, unknown> | null = null;
  if (row.details) {
    try {
      const parsed = JSON.parse(row.details);
      details = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
    } catch {
      details = null;
    }
  }
  return {
    id: row.id,
    kind: row.kind,
    unit_id: row.unit_id,
    unit_code: row.unit_code ?? null,
    invoice_id: row.invoice_id,
    invoice_number: row.invoice_number ?? null,
    payment_id: row.payment_id,
    payment_number: row.payment_number ?? null,
    amount: row.amount === null ? null : Number(row.amount),
    details,
    created_at: row.created_at,
    acknowledged_at: row.acknowledged_at,
    acknowledged_by: row.acknowledged_by,
  };
}

/** The estate's notices, newest first; `open` only those nobody has acknowledged yet. */
export async function listLedgerNotices(store: ScopedStore, opts: { open?: boolean } = {}): Promise<NoticeAnswer[]> {
  const rows = await store.estateRows<NoticeRow>(
    `${NOTICE_SELECT}${opts.open ? ' and n.acknowledged_at is null' : ''} order by n.created_at desc, n.id limit 500`,
  );
  return rows.map(answer);
}

async function oneNotice(store: ScopedStore, id: string): Promise<NoticeAnswer> {
  const [row] = await store.estateRows<NoticeRow>(`${NOTICE_SELECT} and n.id = ?`, [id]);
  if (!row) throw new NotFoundError('Pemberitahuan');
  return answer(row);
}

/**
 * Marks a notice read. Acknowledging it again changes nothing and answers the first acknowledgement, so two
 * treasurers clicking at once (or a retried request) leave one name and one time.
 */
export async function acknowledgeLedgerNotice(store: ScopedStore, id: string): Promise<NoticeAnswer> {
  return store.transaction(async (tx) => {
    const held = await oneNotice(tx, id);
    if (held.acknowledged_at) return held;
    await tx.updateWhere(
      'ledger_notices',
      (q) => q.where('id', id).whereNull('acknowledged_at'),
      { acknowledged_at: nowIso(), acknowledged_by: tx.actor.userId, updated_at: nowIso() },
      'ledger_notices.acknowledge',
    );
    return oneNotice(tx, id);
  });
}
