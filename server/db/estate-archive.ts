import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable, type Writable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { z } from 'zod';

/**
 * The file one estate moves in between installations: a gzipped tar of a staging folder with the same layout.
 *
 *   manifest.json                 what the rest holds: schema version, tables in insert order, row counts, sha256s
 *   tables/<table>.jsonl          one JSON object per row (`estates` and `users` first, then every estate table)
 *   files/<table>/<n>.<column>    the bytes of a blob column (transfer proofs, cash-book and announcement files) of
 *                                 the table's n-th row; the row holds {"$file": "<that path>"} in its place
 *
 * Every entry but the manifest is listed in it with its sha256, so a changed byte anywhere is found before a row is
 * written. The folder is written and read one entry at a time: an estate's size never has to fit in memory.
 */

export const ARCHIVE_FORMAT = 'klustera-estate';
export const ARCHIVE_FORMAT_VERSION = 1;
export const MANIFEST = 'manifest.json';

const ENTRY_NAME = /^(manifest\.json|tables\/[a-z_]+\.jsonl|files\/[a-z_]+\/\d+\.[a-z_]+)$/;

export const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  format_version: z.literal(ARCHIVE_FORMAT_VERSION),
  schema_version: z.string().regex(/^\d{14}_[\w-]+$/),
  estate_id: z.string().min(1).max(36),
  estate_name: z.string(),
  source_site_id: z.string().max(64),
  exported_at: z.string(),
  tables: z.array(z.object({ name: z.string().regex(/^[a-z_]+$/), rows: z.number().int().min(0), sha256: z.string().length(64) })),
  files: z.array(z.object({ path: z.string().regex(ENTRY_NAME), bytes: z.number().int().min(0), sha256: z.string().length(64) })),
});
export type EstateManifest = z.infer<typeof manifestSchema>;

export function tableEntry(table: string): string {
  return `tables/${table}.jsonl`;
}

export function fileEntry(table: string, rowNo: number, column: string): string {
  return `files/${table}/${rowNo}.${column}`;
}

/** Why an archive cannot be read; the caller turns it into its own 4xx. */
export class ArchiveError extends Error {
  constructor(
    readonly code: 'ARCHIVE_INVALID' | 'ARCHIVE_TAMPERED' | 'ARCHIVE_TOO_LARGE',
    message: string,
  ) {
    super(message);
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** Writes the staging folder `dir` (manifest last, as it was written) as a .tar.gz to `out`. */
export async function packArchive(dir: string, manifest: EstateManifest, out: Writable): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, zlib.createGzip(), out);
  const entries = [...manifest.tables.map((t) => ({ name: tableEntry(t.name) })), ...manifest.files.map((f) => ({ name: f.path }))];
  for (const { name } of entries) {
    const file = path.join(dir, name);
    const size = fs.statSync(file).size;
    await new Promise<void>((resolve, reject) => {
      const entry = pack.entry({ name, size, mode: 0o644, mtime: new Date(manifest.exported_at) }, (err) =>
        err ? reject(err) : resolve(),
      );
      fs.createReadStream(file).on('error', reject).pipe(entry);
    });
  }
  pack.entry({ name: MANIFEST, mode: 0o644, mtime: new Date(manifest.exported_at) }, JSON.stringify(manifest, null, 1));
  pack.finalize();
  await done;
}

/** Counts what passes through and fails once more than `limit` bytes have. */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > limit) done(new ArchiveError('ARCHIVE_TOO_LARGE', 'Arsip perumahan terlalu besar.'));
      else done(null, chunk);
    },
  });
}

/**
 * Unpacks a .tar.gz (or plain .tar) from `input` into the empty folder `dir`, hashing each entry as it is written,
 * and checks it against its manifest: every listed entry present with its sha256, nothing unlisted. `maxBytes`
 * bounds the unpacked size (a small upload can inflate a lot).
 */
export async function unpackArchive(input: Readable, dir: string, maxBytes: number): Promise<EstateManifest> {
  const hashes = new Map<string, string>();
  let manifestText: string | null = null;
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const name = header.name;
    if (header.type !== 'file' || !ENTRY_NAME.test(name) || hashes.has(name) || (name === MANIFEST && manifestText !== null)) {
      stream.resume();
      next(new ArchiveError('ARCHIVE_INVALID', `Isi arsip tidak dikenal: ${name.slice(0, 100)}.`));
      return;
    }
    if (name === MANIFEST) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 4 * 1024 * 1024) chunks.push(c);
      });
      stream.on('end', () => {
        manifestText = Buffer.concat(chunks).toString('utf8');
        next();
      });
      stream.on('error', next);
      return;
    }
    const target = path.join(dir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const hash = crypto.createHash('sha256');
    stream.on('data', (c: Buffer) => hash.update(c));
    pipeline(stream, fs.createWriteStream(target, { flags: 'wx' })).then(() => {
      hashes.set(name, hash.digest('hex'));
      next();
    }, next);
  });
  const source = input.pipe(byteLimit(maxBytes * 4 + 1024 * 1024));
  // gzip starts with 1f 8b; anything else is read as a plain tar.
  const first = await firstBytes(source);
  const gzipped = first[0] === 0x1f && first[1] === 0x8b;
  try {
    if (gzipped) await pipeline(source, zlib.createGunzip(), byteLimit(maxBytes), extract);
    else await pipeline(source, byteLimit(maxBytes), extract);
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError('ARCHIVE_INVALID', 'Berkas ini bukan arsip perumahan Klustera yang utuh.');
  }
  if (manifestText === null) throw new ArchiveError('ARCHIVE_INVALID', 'Arsip tidak memuat manifest.json.');
  let manifest: EstateManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(manifestText));
  } catch {
    throw new ArchiveError('ARCHIVE_INVALID', 'manifest.json arsip tidak dapat dibaca.');
  }
  const listed = new Map<string, string>([
    ...manifest.tables.map((t) => [tableEntry(t.name), t.sha256] as const),
    ...manifest.files.map((f) => [f.path, f.sha256] as const),
  ]);
  for (const [name, sha] of listed) {
    if (hashes.get(name) !== sha) throw new ArchiveError('ARCHIVE_TAMPERED', `Isi arsip tidak cocok dengan sidik SHA-256-nya (${name}).`);
  }
  for (const name of hashes.keys()) {
    if (!listed.has(name)) throw new ArchiveError('ARCHIVE_TAMPERED', `Arsip memuat berkas yang tidak tercatat (${name}).`);
  }
  return manifest;
}

/** Peeks at the first bytes of `stream` and puts them back. */
async function firstBytes(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const onReadable = () => {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null) {
        if (stream.readableEnded) finish(Buffer.alloc(0));
        return;
      }
      stream.unshift(chunk);
      finish(chunk);
    };
    const onEnd = () => finish(Buffer.alloc(0));
    const finish = (chunk: Buffer) => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', reject);
      resolve(chunk);
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', reject);
  });
}
