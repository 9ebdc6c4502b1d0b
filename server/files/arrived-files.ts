import { ConflictError } from '../http/errors.ts';
import { discardFile, newFilesStoredIn, putArrivedBytes, sha256Of } from './file-storage.ts';

type Row = Record<string, unknown>;

/** The tables of uploaded files and each one's byte column. */
const BYTE_COLUMN: Readonly<Record<string, string>> = {
  payment_proofs: 'data',
  cashbook_attachments: 'content',
  announcement_attachments: 'data',
};

const EMPTY = Buffer.alloc(0);
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Files that arrive whole with their rows, by sync (a pushed batch, a pulled page) or an estate import, kept where this
 * instance keeps uploads (README, "Files that arrive"). With a bucket, the bytes go to the object an upload of the row
 * would have had (`estates/<estate>/files/<row id>`) after the same SHA-256 check, and the row is written with
 * `stored_in` = 'bucket' and an empty byte column; without one, the row is written with its bytes, as always.
 *
 * `place` decides for one row and holds its bytes; `store` puts what is held. A sync apply stores once the database
 * took every row of the batch, so a batch the database refuses never reaches the bucket; an import stores row by row
 * (an archive may hold a gigabyte of files).
 */
export class ArrivedFiles {
  private readonly pending = new Map<string, { bytes: Buffer; isNew: boolean }>();
  /** Objects put for rows this instance did not hold before: theirs alone, so removable when the write fails. */
  private readonly putForNewRows: string[] = [];

  constructor(private readonly estateId: string) {}

  /**
   * The row of `table` as this instance writes it (a row of any other table as it is); `held` is the row as held
   * before, if any. A file recorded without a SHA-256 (written before files had one) stays in the database: the
   * bucket's check and the sync digests both stand on that hash.
   */
  place(table: string, row: Row, held?: Row): Row {
    const column = BYTE_COLUMN[table];
    if (!column) return row;
    const bytes = row[column];
    if (!Buffer.isBuffer(bytes)) return row;
    const sha256 = row.sha256;
    if (newFilesStoredIn() !== 'bucket' || typeof sha256 !== 'string' || !SHA256.test(sha256)) {
      return { ...row, stored_in: 'database' };
    }
    if (sha256Of(bytes) !== sha256) {
      throw new ConflictError('FILE_CONTENT_MISMATCH', 'Isi berkas tidak sama dengan yang tercatat saat diunggah.');
    }
    const id = String(row.id);
    // The same file arriving again (a change replayed under another batch, a later edit of its row): its object is
    // already there and is not put twice.
    if (!(held?.stored_in === 'bucket' && held.sha256 === sha256)) {
      this.pending.set(id, { bytes, isNew: held === undefined || this.pending.get(id)?.isNew === true });
    }
    return { ...row, [column]: EMPTY, stored_in: 'bucket' };
  }

  /** Puts the bytes held by `place`. A bucket out of reach: 503 FILE_STORAGE_UNAVAILABLE, new rows' objects removed. */
  async store(): Promise<void> {
    for (const [id, file] of this.pending) {
      try {
        await putArrivedBytes(this.estateId, id, file.bytes);
      } catch (err) {
        await this.discard();
        throw err;
      }
      if (file.isNew) this.putForNewRows.push(id);
      this.pending.delete(id);
    }
  }

  /**
   * Removes the objects put for rows that were new here, once their write failed (best effort: a bucket out of reach
   * keeps them, at keys no row names). Objects of rows held before stay: the held row names them.
   */
  async discard(): Promise<void> {
    this.pending.clear();
    for (const id of this.putForNewRows.splice(0)) await discardFile(this.estateId, { id, stored_in: 'bucket' }).catch(() => {});
  }
}
