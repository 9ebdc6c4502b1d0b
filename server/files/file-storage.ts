import { createHash } from 'node:crypto';
import { newId } from '../db/ids.ts';
import { AppError, ConflictError, NotFoundError } from '../http/errors.ts';
import { deleteObject, getObject, putObject, S3RequestError, type S3Target } from '../object-storage/index.ts';

/**
 * Where the bytes of uploaded files (transfer proofs, cash-book attachments, announcement attachments) live: in their
 * row (the default, and what the desktop always does) or in an S3-compatible bucket shared by every server process
 * of a hosted instance (README, "Uploaded files"). The row keeps the name, type, size and SHA-256 either way, and says
 * where its bytes are (`stored_in`), so rows written before the bucket was configured stay readable.
 */
export type StoredIn = 'database' | 'bucket';

/** One place bytes can be kept. `put` answers what the row's byte column holds. */
interface FileStore {
  readonly kind: StoredIn;
  put(key: string, bytes: Buffer): Promise<Buffer>;
  /** The file's bytes, or null when they are not there. `inRow` is the row's byte column. */
  get(key: string, inRow: Buffer | null): Promise<Buffer | null>;
  remove(key: string): Promise<void>;
}

const EMPTY = Buffer.alloc(0);

const databaseStore: FileStore = {
  kind: 'database',
  put: async (_key, bytes) => bytes,
  get: async (_key, inRow) => inRow,
  // The row is the file: removing the row removes it.
  remove: async () => {},
};

/** Largest object read back; uploads are limited to 5 MB, so anything beyond this was not written here. */
const READ_MAX_BYTES = 16 * 1024 * 1024;

function bucketStore(target: S3Target): FileStore {
  return {
    kind: 'bucket',
    // The byte column is NOT NULL in every table that has one: an empty value there, the bytes in the bucket.
    put: async (key, bytes) => {
      await putObject(target, key, bytes);
      return EMPTY;
    },
    get: (key) => getObject(target, key, READ_MAX_BYTES),
    remove: (key) => deleteObject(target, key),
  };
}

/** The bucket could not be reached or refused the request: nothing was written, the same request can be sent again. */
export class FileStorageUnavailableError extends AppError {
  constructor() {
    super(503, 'FILE_STORAGE_UNAVAILABLE', 'Tempat penyimpanan berkas sedang tidak dapat dihubungi. Coba lagi sebentar lagi.');
  }
}

let configured: FileStore = databaseStore;
let bucket: FileStore | null = null;

/**
 * Chooses where new uploads go, for the whole process (`klustera serve --files-s3-*`): one server process serves
 * one installation, and every path that reads or writes a file (requests, jobs, the estate export) must agree.
 * Null: in the database.
 */
export function useFileBucket(target: S3Target | null): void {
  bucket = target ? bucketStore(target) : null;
  configured = bucket ?? databaseStore;
}

export function newFilesStoredIn(): StoredIn {
  return configured.kind;
}

/** The object of one file: under its estate, so one estate's files can be listed, moved or removed together. */
export function objectKey(estateId: string, fileId: string): string {
  return `estates/${estateId}/files/${fileId}`;
}

export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The columns a new file's row gets: its id (the object's name), where its bytes are, their hash, the byte column. */
export interface SavedFile {
  id: string;
  stored_in: StoredIn;
  sha256: string;
  bytes: Buffer;
}

function unavailable(err: unknown): never {
  if (err instanceof S3RequestError) throw new FileStorageUnavailableError();
  throw err;
}

/** Stores the bytes of a new file where new files go; the row is written after, by the caller. */
export async function saveFile(estateId: string, content: Buffer): Promise<SavedFile> {
  const id = newId();
  const bytes = await configured.put(objectKey(estateId, id), content).catch(unavailable);
  return { id, stored_in: configured.kind, sha256: sha256Of(content), bytes };
}

/**
 * Puts bytes that arrived whole with their row (by sync or an estate import, `arrived-files.ts`) as the object of
 * file `fileId`, the key an upload of that row would have had. Only on an instance with a bucket.
 */
export async function putArrivedBytes(estateId: string, fileId: string, bytes: Buffer): Promise<void> {
  if (!bucket) throw new FileStorageUnavailableError();
  await bucket.put(objectKey(estateId, fileId), bytes).catch(unavailable);
}

/** Removes a file's bytes; a bucket that cannot be reached leaves the object behind (logged by the caller). */
export async function discardFile(estateId: string, file: { id: string; stored_in: StoredIn }): Promise<void> {
  const store = file.stored_in === 'bucket' ? bucket : databaseStore;
  if (!store) throw new FileStorageUnavailableError();
  await store.remove(objectKey(estateId, file.id)).catch(unavailable);
}

/**
 * Stores the bytes, then runs `record` (the transaction that writes the row). When that fails the object is removed
 * again, so a refused upload leaves neither a row nor an object; the bucket being unreachable fails before any row.
 */
export async function withSavedFile<T>(estateId: string, content: Buffer, record: (file: SavedFile) => Promise<T>): Promise<T> {
  const file = await saveFile(estateId, content);
  try {
    return await record(file);
  } catch (err) {
    await discardFile(estateId, file).catch(() => {});
    throw err;
  }
}

/** A file's row as the tables hold it: `bytes` is its byte column (empty when the bytes are in the bucket). */
export interface FileRow {
  id: string;
  stored_in?: string | null;
  sha256?: string | null;
  bytes: Buffer | Uint8Array | null;
}

/**
 * The bytes of a file whose row the caller has already found through the estate's scoped store (so the permission
 * and estate checks have been made). Answers a clear error when the bytes are missing or are not the ones recorded.
 */
export async function loadFile(estateId: string, row: FileRow): Promise<Buffer> {
  const inRow = row.bytes ? Buffer.from(row.bytes) : null;
  const store = row.stored_in === 'bucket' ? bucket : databaseStore;
  if (!store) throw new FileStorageUnavailableError();
  const bytes = await store.get(objectKey(estateId, row.id), inRow).catch(unavailable);
  if (!bytes) throw new NotFoundError('Isi berkas', 'FILE_CONTENT_MISSING');
  if (row.sha256 && sha256Of(bytes) !== row.sha256) {
    throw new ConflictError('FILE_CONTENT_MISMATCH', 'Isi berkas tidak sama dengan yang tercatat saat diunggah.');
  }
  return bytes;
}
