import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ArchiveError, type EstateManifest, packArchive, unpackArchive } from '../db/estate-archive.ts';
import { dumpEstate } from '../db/estate-dump.ts';
import { type LoadedEstate, loadEstate } from '../db/estate-load.ts';
import type { Database } from '../db/knex.ts';
import type { Actor } from '../db/scoped-store.ts';
import type { SyncContext } from '../db/sync-context.ts';
import { ArrivedFiles, loadFile } from '../files/index.ts';
import { AppError, PayloadTooLargeError, UnprocessableError } from '../http/errors.ts';

/**
 * Moving one estate between installations (server/estate-transfer/README.md): the archive is staged in a
 * temporary folder on both sides, so the database is read in one short snapshot and written in one transaction,
 * never while bytes wait on the network.
 */

/** The largest archive an import accepts (packed and unpacked), `KLUSTERA_ESTATE_IMPORT_MAX_BYTES`; 1 GiB. */
export function importMaxBytes(): number {
  const configured = Number(process.env.KLUSTERA_ESTATE_IMPORT_MAX_BYTES);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : 1024 * 1024 * 1024;
}

async function inStagingFolder<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Reads the estate, then calls `open` and writes its archive there; null (nothing opened) when there is no such
 * estate. Opening late lets an HTTP answer still be an error until the archive is ready.
 */
export async function exportEstate(
  db: Database,
  estateId: string,
  siteId: string,
  open: (manifest: EstateManifest) => Writable,
): Promise<EstateManifest | null> {
  return inStagingFolder('klustera-export-', async (dir) => {
    const manifest = await dumpEstate(db, estateId, dir, siteId, (row) =>
      loadFile(estateId, { id: String(row.id), stored_in: 'bucket', sha256: row.sha256 as string | null, bytes: null }),
    );
    if (!manifest) return null;
    await packArchive(dir, manifest, open(manifest));
    return manifest;
  });
}

function archiveFailure(err: ArchiveError): AppError {
  if (err.code === 'ARCHIVE_TOO_LARGE') return new PayloadTooLargeError(err.code, err.message);
  return new UnprocessableError(err.code, err.message);
}

/** Imports the archive read from `input` as a new estate; the archive is checked whole before anything is written. */
export async function importEstate(
  db: Database,
  input: Readable,
  opts: { actor: Actor; sync: SyncContext; maxBytes?: number },
): Promise<LoadedEstate> {
  return inStagingFolder('klustera-import-', async (dir) => {
    try {
      const manifest = await unpackArchive(input, dir, opts.maxBytes ?? importMaxBytes());
      // Files go where this installation keeps uploads, put one by one as their rows are read; an import that fails
      // removes what it put (the estate is new here, so no other row names those objects).
      const files = new ArrivedFiles(manifest.estate_id);
      const keepFile = async (table: string, row: Record<string, unknown>) => {
        const kept = files.place(table, row);
        await files.store();
        return kept;
      };
      try {
        return await loadEstate(db, dir, manifest, { ...opts, keepFile });
      } catch (err) {
        await files.discard();
        throw err;
      }
    } catch (err) {
      if (err instanceof ArchiveError) throw archiveFailure(err);
      throw err;
    }
  });
}
