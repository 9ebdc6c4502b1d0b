import type { ScopedStore } from '../db/scoped-store.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../http/errors.ts';
import type { UploadedFile } from '../http/route.ts';
import { loadFile, type SavedFile, withSavedFile } from '../files/index.ts';
import { appendRows } from './ledger-rows.ts';
import { getRecord } from './records.ts';
import { lockUnit } from './row-lock.ts';

/** Proof images and PDFs of payments and transfer submissions, checked by content, not by the claimed type. */
export const PROOF_MAX_BYTES = 5 * 1024 * 1024;

function sniffMime(buf: Buffer): string | null {
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 12 && buf.toString('ascii', 0, 4) === 'RIFF' && buf.toString('ascii', 8, 12) === 'WEBP') return 'image/webp';
  if (buf.length >= 5 && buf.toString('ascii', 0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

/** A proof checked by its content, before its bytes are stored anywhere. */
export interface CheckedProof {
  filename: string;
  mime: string;
  buffer: Buffer;
}

export function checkProof(file: UploadedFile): CheckedProof {
  const mime = sniffMime(file.buffer);
  if (!mime) throw new BadRequestError('INVALID_PROOF', 'Bukti harus berupa gambar (JPG, PNG, WebP) atau PDF.', 'file');
  const filename = (file.originalname || 'bukti').replace(/[^\w.\- ]+/g, '_').slice(0, 200);
  return { filename, mime, buffer: file.buffer };
}

/** The proof's row, its bytes already stored (`saved`, see server/files: in this row or in the bucket). */
export async function appendProof(
  tx: ScopedStore,
  ownerTable: 'payments' | 'payment_submissions',
  ownerId: string,
  proof: CheckedProof,
  saved: SavedFile,
) {
  const { filename, mime } = proof;
  const size = proof.buffer.length;
  await appendRows(tx, 'payment_proofs', [
    {
      id: saved.id,
      owner_table: ownerTable,
      owner_id: ownerId,
      filename,
      mime,
      size,
      data: saved.bytes,
      stored_in: saved.stored_in,
      sha256: saved.sha256,
    },
  ]);
  return { id: saved.id, filename, mime, size };
}

export async function attachPaymentProof(store: ScopedStore, paymentId: string, file: UploadedFile | undefined) {
  if (!file) throw new BadRequestError('VALIDATION_FAILED', 'File bukti wajib diunggah.', 'file');
  const checked = checkProof(file);
  return withSavedFile(store.estateId, checked.buffer, (saved) =>
    store.transaction(async (tx) => {
      const payment = await getRecord<{ unit_id: string }>(tx, 'payments', paymentId, 'Pembayaran');
      // One proof per payment: two uploads at once are checked one after the other.
      await lockUnit(tx, payment.unit_id);
      const existing = await tx.query('payment_proofs').where({ owner_table: 'payments', owner_id: paymentId }).first('id');
      if (existing) throw new ConflictError('PROOF_EXISTS', 'Pembayaran ini sudah punya bukti.');
      const proof = await appendProof(tx, 'payments', paymentId, checked, saved);
      await tx.audit('payments.attach_proof', 'payment_proofs', proof.id, undefined, {
        payment_id: paymentId,
        filename: proof.filename,
        mime: proof.mime,
        size: proof.size,
      });
      return proof;
    }),
  );
}

export async function readProof(store: ScopedStore, ownerTable: 'payments' | 'payment_submissions', ownerId: string) {
  const row = await store.query('payment_proofs').where({ owner_table: ownerTable, owner_id: ownerId }).first();
  if (!row) throw new NotFoundError('Bukti');
  const data = await loadFile(store.estateId, { id: row.id, stored_in: row.stored_in, sha256: row.sha256, bytes: row.data });
  return { filename: row.filename as string, mime: row.mime as string, data };
}
