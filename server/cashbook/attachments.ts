import type { ScopedStore } from '../db/scoped-store.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import type { UploadedFile } from '../http/route.ts';
import { loadFile, withSavedFile } from '../files/index.ts';
import { getEntry } from './service.ts';

/** Proof of an expense or income (a nota, a transfer screenshot), kept in the database so backups carry it (or,
 * on a hosted instance so configured, in its files bucket: server/files/). */
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
const ALLOWED = new Map([
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/webp', [0x52, 0x49, 0x46, 0x46]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46]],
]);

export async function addAttachment(store: ScopedStore, entryId: string, file: UploadedFile | undefined) {
  if (!file) throw new ValidationError('Pilih berkas bukti.', 'file');
  const magic = ALLOWED.get(file.mimetype);
  // The declared type must match the file's first bytes; a renamed executable is not a receipt photo.
  if (!magic || !magic.every((b, i) => file.buffer[i] === b)) {
    throw new ValidationError('Bukti harus berupa JPEG, PNG, WebP atau PDF.', 'file', 'UNSUPPORTED_FILE_TYPE');
  }
  await getEntry(store, entryId);
  return withSavedFile(store.estateId, file.buffer, (saved) =>
    store.transaction(async (tx) => {
      await getEntry(tx, entryId);
      const row = await tx.appendOnly('cashbook_attachments', {
        id: saved.id,
        entry_id: entryId,
        filename: file.originalname.replace(/[^\w .()-]/g, '_').slice(0, 200) || 'bukti',
        content_type: file.mimetype,
        size_bytes: file.size,
        sha256: saved.sha256,
        content: saved.bytes,
        stored_in: saved.stored_in,
        uploaded_by: tx.actor.userId ?? null,
      });
      const { content: _content, stored_in: _storedIn, ...meta } = row as Record<string, unknown>;
      return meta;
    }),
  );
}

export async function listAttachments(store: ScopedStore, entryId: string) {
  await getEntry(store, entryId);
  const items = await store
    .query('cashbook_attachments')
    .where('cashbook_attachments.entry_id', entryId)
    .orderBy('created_at')
    .select('id', 'entry_id', 'filename', 'content_type', 'size_bytes', 'sha256', 'uploaded_by', 'created_at');
  return { items };
}

export async function getAttachment(store: ScopedStore, id: string) {
  const row = await store.query('cashbook_attachments').where('cashbook_attachments.id', id).first();
  if (!row) throw new NotFoundError('Lampiran');
  const content = await loadFile(store.estateId, { id: row.id, stored_in: row.stored_in, sha256: row.sha256, bytes: row.content });
  return { filename: row.filename as string, content_type: row.content_type as string, content };
}
