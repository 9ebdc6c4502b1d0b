import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';

/** The files of an estate export (.tar.gz), by name. */
export async function archiveEntries(gzipped: Buffer): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      entries.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve).on('error', reject);
    Readable.from([zlib.gunzipSync(gzipped)]).pipe(extract);
  });
  return entries;
}

/** The export's files, changed by `edit`, packed again as a .tar.gz (a tampered or hand-made archive). */
export async function repackArchive(gzipped: Buffer, edit: (entries: Map<string, Buffer>) => void): Promise<Buffer> {
  const entries = await archiveEntries(gzipped);
  edit(entries);
  const pack = tar.pack();
  for (const [name, content] of entries) pack.entry({ name }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return zlib.gzipSync(Buffer.concat(chunks));
}
