import type { ScopedStore } from '../db/scoped-store.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { UploadedFile } from '../http/route.ts';
import { loadFile, withSavedFile } from '../files/index.ts';
import { getAnnouncement } from './announcement-service.ts';

/** Pictures and PDFs of an announcement (a map, the committee's letter), kept like transfer proofs
 * (server/files/: in the database, or in the files bucket of a hosted instance so configured). */
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
export const ATTACHMENTS_PER_ANNOUNCEMENT = 10;

/** By the file's first bytes, never by its name or the type the browser claimed. */
function sniffMime(buf: Buffer): string | null {
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 12 && buf.toString('ascii', 0, 4) === 'RIFF' && buf.toString('ascii', 8, 12) === 'WEBP') return 'image/webp';
  if (buf.length >= 5 && buf.toString('ascii', 0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

export async function addAttachment(store: ScopedStore, announcementId: string, file: UploadedFile | undefined) {
  if (!file) throw new ValidationError('Pilih berkas lampiran.', 'file');
  const mime = sniffMime(file.buffer);
  if (!mime) throw new ValidationError('Lampiran harus berupa gambar (JPG, PNG, WebP) atau PDF.', 'file', 'UNSUPPORTED_FILE_TYPE');
  // Checked before the bytes are stored anywhere, and again in the transaction that writes the row.
  await getAnnouncement(store, announcementId);
  return withSavedFile(store.estateId, file.buffer, (saved) =>
    store.transaction(async (tx) => {
      const announcement = await getAnnouncement(tx, announcementId);
      // What residents were shown stays what it was: files are added before it is published.
      if (announcement.status === 'published') throw new ConflictError('ALREADY_PUBLISHED', 'Pengumuman ini sudah terbit.');
      const [{ n }] = await tx.live('announcement_attachments').where('announcement_id', announcementId).count({ n: '*' });
      if (Number(n) >= ATTACHMENTS_PER_ANNOUNCEMENT) {
        throw new ConflictError('TOO_MANY_ATTACHMENTS', `Paling banyak ${ATTACHMENTS_PER_ANNOUNCEMENT} lampiran per pengumuman.`, 'file');
      }
      const filename = (file.originalname || 'lampiran').replace(/[^\w.\- ()]+/g, '_').slice(0, 200);
      const row = await tx.insert<{ id: string }>('announcement_attachments', {
        id: saved.id,
        announcement_id: announcementId,
        filename,
        mime,
        size: file.buffer.length,
        data: saved.bytes,
        stored_in: saved.stored_in,
        sha256: saved.sha256,
      });
      return { id: row.id, filename, mime, size: file.buffer.length };
    }),
  );
}

export async function readAttachment(store: ScopedStore, announcementId: string, attachmentId: string) {
  const row = (await store
    .live('announcement_attachments')
    .where({ id: attachmentId, announcement_id: announcementId })
    .first('id', 'filename', 'mime', 'data', 'stored_in', 'sha256')) as
    | { id: string; filename: string; mime: string; data: Buffer; stored_in: string; sha256: string | null }
    | undefined;
  if (!row) throw new NotFoundError('Lampiran');
  const data = await loadFile(store.estateId, { id: row.id, stored_in: row.stored_in, sha256: row.sha256, bytes: row.data });
  return { filename: row.filename, mime: row.mime, data };
}
