import { isCashbookHome } from '../cashbook/index.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { UploadedFile } from '../http/route.ts';
import { enqueueMessage, messageLinks, rupiahText } from '../messages/index.ts';
import { normalizePaidAt, recordPayment, type PaymentMethod } from './payment-service.ts';
import { appendProof, type CheckedProof, checkProof } from './proof-store.ts';
import { discardFile, loadFile, type SavedFile, saveFile, withSavedFile } from '../files/index.ts';
import { unitCodes } from './records.ts';
import { lockRow } from './row-lock.ts';

/**
 * A resident's transfer proof from the portal. It is not money yet: it waits as `pending` until the treasurer
 * verifies it (which records a real payment) or rejects it with a reason.
 */
interface SubmissionRow {
  id: string;
  unit_id: string;
  resident_id: string | null;
  submitted_by: string | null;
  amount: number | string;
  method: string;
  paid_at: string;
  reference: string | null;
  note: string | null;
  invoice_ids: string | null;
  status: 'pending' | 'verified' | 'rejected';
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  payment_id: string | null;
  created_at: string;
  updated_at: string;
}

interface SubmissionInput {
  unit_id: string;
  resident_id: string | null;
  amount: number;
  method: PaymentMethod;
  paid_at: string;
  reference?: string | null;
  note?: string | null;
  invoice_ids?: string[] | null;
}

export async function submitTransferProof(store: ScopedStore, input: SubmissionInput, file: UploadedFile | undefined) {
  const proof = file ? checkProof(file) : null;
  if (!proof) return recordSubmission(store, input, null);
  return withSavedFile(store.estateId, proof.buffer, (saved) => recordSubmission(store, input, { proof, saved }));
}

async function recordSubmission(store: ScopedStore, input: SubmissionInput, file: { proof: CheckedProof; saved: SavedFile } | null) {
  return store.transaction(async (tx) => {
    const paidAt = normalizePaidAt(input.paid_at, await tx.timezone());
    for (const id of input.invoice_ids ?? []) {
      const inv = await tx.query('invoices').where('invoices.id', id).first('unit_id');
      if (!inv || inv.unit_id !== input.unit_id) throw new NotFoundError('Tagihan');
    }
    const row = await tx.insert<SubmissionRow & Record<string, unknown>>(
      'payment_submissions',
      {
        unit_id: input.unit_id,
        resident_id: input.resident_id,
        submitted_by: tx.actor.userId,
        amount: input.amount,
        method: input.method,
        paid_at: paidAt,
        reference: input.reference ?? null,
        note: input.note ?? null,
        invoice_ids: input.invoice_ids?.length ? JSON.stringify(input.invoice_ids) : null,
        status: 'pending',
        review_reason: null,
        reviewed_by: null,
        reviewed_at: null,
        payment_id: null,
        deleted_at: null,
      },
      'payment_submissions.create',
    );
    if (file) await appendProof(tx, 'payment_submissions', row.id, file.proof, file.saved);
    await tx.announce('proofs', input.unit_id);
    return serializeSubmission(tx, row);
  });
}

async function pendingSubmission(tx: ScopedStore, id: string): Promise<SubmissionRow> {
  // Two clicks on "verify" (or a verify and a reject) review the proof one after the other; the second sees it reviewed.
  await lockRow(tx, 'payment_submissions', id);
  const row = await tx.get<SubmissionRow>('payment_submissions', id, 'Bukti transfer');
  // One proof, one payment: two sites verifying it while apart would each make a payment for the same transfer (and
  // a verify on one and a reject on the other could not both stand). Proofs are reviewed where the cash book is
  // kept, the estate's home site, which posts the payment it makes (server/sync/README.md).
  if (!(await isCashbookHome(tx))) {
    throw new ConflictError(
      'PROOF_REVIEW_ELSEWHERE',
      'Bukti transfer perumahan ini diperiksa di komputer kantor yang tertaut, tempat buku kas dicatat. Setujui atau tolak di sana.',
    );
  }
  if (row.status !== 'pending') throw new ConflictError('ALREADY_REVIEWED', 'Bukti transfer ini sudah diperiksa.');
  return row;
}

/**
 * The treasurer checks the bank's statement, not the resident's claim: when the transfer that arrived differs from
 * what the proof says, the payment records what arrived and on which day.
 */
export interface VerifyCorrection {
  amount?: number;
  paid_at?: string;
}

export async function verifySubmission(store: ScopedStore, id: string, correction: VerifyCorrection = {}) {
  // The payment's copy of the proof is stored before the transaction commits: removed again should it not commit.
  let copied: SavedFile | null = null;
  try {
    return await verifyInTransaction(store, id, correction, (file) => (copied = file));
  } catch (err) {
    const orphan = copied as SavedFile | null;
    if (orphan) await discardFile(store.estateId, orphan).catch(() => {});
    throw err;
  }
}

function verifyInTransaction(store: ScopedStore, id: string, correction: VerifyCorrection, copiedProof: (file: SavedFile) => void) {
  return store.transaction(async (tx) => {
    const sub = await pendingSubmission(tx, id);
    const paidAt = correction.paid_at ? normalizePaidAt(correction.paid_at, await tx.timezone()) : sub.paid_at;
    const payment = await recordPayment(
      tx,
      {
        unit_id: sub.unit_id,
        amount: correction.amount ?? Number(sub.amount),
        method: sub.method as PaymentMethod,
        paid_at: paidAt,
        reference: sub.reference,
        notes: sub.note,
        // Invoices chosen by the resident may have been paid meanwhile; then the money goes oldest-first.
        invoice_ids: null,
        payer_resident_id: sub.resident_id,
      },
      { source: 'portal', submissionId: sub.id },
    );
    // The proof travels with the payment it became.
    const proof = await tx.query('payment_proofs').where({ owner_table: 'payment_submissions', owner_id: sub.id }).first();
    if (proof) {
      const buffer = await loadFile(tx.estateId, { id: proof.id, stored_in: proof.stored_in, sha256: proof.sha256, bytes: proof.data });
      const saved = await saveFile(tx.estateId, buffer);
      copiedProof(saved);
      await appendProof(tx, 'payments', payment.id, { filename: proof.filename, mime: proof.mime, buffer }, saved);
    }
    const updated = await tx.update<SubmissionRow & Record<string, unknown>>(
      'payment_submissions',
      id,
      {
        status: 'verified',
        reviewed_by: tx.actor.userId,
        reviewed_at: new Date().toISOString(),
        payment_id: payment.id,
      },
      'payment_submissions.verify',
    );
    // The payment itself is announced by recordPayment.
    await tx.announce('proofs', sub.unit_id);
    return {
      submission: await serializeSubmission(tx, updated),
      payment: { ...payment, proof: proof ? { filename: proof.filename, mime: proof.mime, size: Number(proof.size) } : null },
    };
  });
}

export async function rejectSubmission(store: ScopedStore, id: string, reason: string) {
  return store.transaction(async (tx) => {
    await pendingSubmission(tx, id);
    const updated = await tx.update<SubmissionRow & Record<string, unknown>>(
      'payment_submissions',
      id,
      {
        status: 'rejected',
        review_reason: reason,
        reviewed_by: tx.actor.userId,
        reviewed_at: new Date().toISOString(),
      },
      'payment_submissions.reject',
    );
    await tx.announce('proofs', updated.unit_id);
    await enqueueMessage(tx, {
      template: 'proof_rejected',
      cause: { kind: 'proof_rejected', id },
      unitId: updated.unit_id,
      // The resident who sent the proof; a proof sent from the office reaches whoever lives there.
      residentIds: updated.resident_id ? [updated.resident_id] : undefined,
      vars: { alasan: reason, jumlah: rupiahText(Number(updated.amount)), link_bayar: messageLinks.bills() },
    });
    return serializeSubmission(tx, updated);
  });
}

export async function listSubmissions(
  store: ScopedStore,
  q: { status?: string; unit_ids?: string[]; resident_id?: string; limit: number; offset: number },
) {
  const whose = store.live('payment_submissions');
  if (q.unit_ids) whose.whereIn('payment_submissions.unit_id', q.unit_ids);
  if (q.resident_id) whose.where('payment_submissions.resident_id', q.resident_id);
  const base = whose.clone();
  if (q.status) base.where('payment_submissions.status', q.status);
  // The queue is worked oldest first, so nobody's transfer waits behind newer ones; decided ones read newest first.
  const order =
    q.status === 'pending'
      ? [
          { column: 'created_at', order: 'asc' as const },
          { column: 'id', order: 'asc' as const },
        ]
      : [
          { column: 'created_at', order: 'desc' as const },
          { column: 'id', order: 'desc' as const },
        ];
  const rows = (await base.clone().orderBy(order).limit(q.limit).offset(q.offset)) as SubmissionRow[];
  const [{ n }] = await base.clone().count({ n: '*' });
  const [{ p }] = await whose.clone().where('payment_submissions.status', 'pending').count({ p: '*' });
  const items = [];
  for (const r of rows) items.push(await serializeSubmission(store, r));
  return { items, total: Number(n), pending_count: Number(p) };
}

/** The resident's own proof file: only whoever sent it, while the unit is theirs. */
export async function submissionOwnedBy(store: ScopedStore, id: string, residentId: string, unitIds: string[]): Promise<void> {
  const row = await store.live('payment_submissions').where('payment_submissions.id', id).first('resident_id', 'unit_id');
  if (!row || row.resident_id !== residentId || !unitIds.includes(row.unit_id)) throw new NotFoundError('Bukti transfer');
}

async function serializeSubmission(store: ScopedStore, row: SubmissionRow) {
  // Sequential: this also runs inside transactions, where a PostgreSQL connection serves one query at a time.
  const codes = await unitCodes(store, [row.unit_id]);
  const proof = await store
    .query('payment_proofs')
    .where({ owner_table: 'payment_submissions', owner_id: row.id })
    .first('id', 'filename', 'mime', 'size');
  const resident = row.resident_id ? await store.find<{ name: string }>('residents', row.resident_id, { includeDeleted: true }) : null;
  const reviewer = row.reviewed_by ? await store.knex('users').where('id', row.reviewed_by).first('name') : null;
  return {
    id: row.id,
    unit_id: row.unit_id,
    unit_code: codes.get(row.unit_id) ?? null,
    resident_id: row.resident_id,
    resident_name: resident?.name ?? null,
    amount: Number(row.amount),
    method: row.method,
    paid_at: row.paid_at,
    reference: row.reference,
    note: row.note,
    invoice_ids: row.invoice_ids ? JSON.parse(row.invoice_ids) : null,
    status: row.status,
    review_reason: row.review_reason,
    reviewed_at: row.reviewed_at,
    reviewed_by_name: (reviewer?.name as string | undefined) ?? null,
    payment_id: row.payment_id,
    proof: proof ? { id: proof.id, filename: proof.filename, mime: proof.mime, size: Number(proof.size) } : null,
    created_at: row.created_at,
  };
}
