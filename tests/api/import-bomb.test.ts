import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * A spreadsheet bomb: a few hundred KB of .xlsx whose sheet XML inflates past 100 MB. It must be refused quickly with
 * a 4xx, while the server keeps answering other requests, and the real sample sheet must still import.
 */

const SAMPLE = readFileSync(new URL('../fixtures/data-warga-griya-asri.xlsx', import.meta.url));

interface Part {
  name: string;
  /** Pieces of the part's content; generated lazily so a 120 MB sheet never sits in memory at once. */
  chunks: () => Iterable<Buffer>;
  /** Written into both headers instead of the real size (a lying zip). */
  declaredSize?: number;
}

async function deflate(chunks: Iterable<Buffer>): Promise<{ data: Buffer; size: number; crc: number }> {
  const deflater = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflater.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => deflater.on('end', resolve));
  let size = 0;
  let crc = 0;
  for (const chunk of chunks) {
    size += chunk.length;
    crc = zlib.crc32(chunk, crc);
    if (!deflater.write(chunk)) await new Promise((resolve) => deflater.once('drain', resolve));
  }
  deflater.end();
  await done;
  return { data: Buffer.concat(out), size, crc };
}

/** A minimal zip writer (deflate, no ZIP64) so the test controls every size field. */
async function zip(parts: Part[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const { data, size, crc } = await deflate(part.chunks());
    const name = Buffer.from(part.name);
    const declared = part.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const text = (s: string) => () => [Buffer.from(s)];

function workbookParts(sheet: Part['chunks'], declaredSize?: number): Part[] {
  return [
    {
      name: '[Content_Types].xml',
      chunks: text(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      chunks: text(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      chunks: text(
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      chunks: text(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
    },
    { name: 'xl/worksheets/sheet1.xml', chunks: sheet, declaredSize },
  ];
}

/** `rows` rows of `columns` inline-string cells (about 50 bytes of XML each with the default text), compressing ~1000:1. */
function sheetXml(rows: number, columns: number, cellText = 'Blok A No 12 Griya'): Part['chunks'] {
  return function* () {
    yield Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
    );
    const cell = `<c t="inlineStr"><is><t>${cellText}</t></is></c>`;
    const row = `<row>${cell.repeat(columns)}</row>`;
    const block = Buffer.from(row.repeat(Math.max(1, Math.floor(1_000_000 / row.length))));
    const rowsPerBlock = Math.max(1, Math.floor(1_000_000 / row.length));
    for (let written = 0; written < rows; written += rowsPerBlock) yield block;
    yield Buffer.from('</sheetData></worksheet>');
  };
}

let server: TestServer;
let admin: ApiClient;
let estateId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server?.close();
});

async function uploadWhileProbing(content: Buffer) {
  const probes: number[] = [];
  let uploading = true;
  const probing = (async () => {
    while (uploading) {
      const started = performance.now();
      const res = await admin.get('/auth/me');
      expect(res.status).toBe(200);
      probes.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const started = performance.now();
  const res = await admin.upload(`/estates/${estateId}/imports/units`, {}, { file: { filename: 'bom.xlsx', content } });
  const elapsed = performance.now() - started;
  uploading = false;
  await probing;
  return { res, elapsed, probes };
}

describe('spreadsheet bombs', () => {
  it('refuses a small .xlsx that declares 120 MB of sheet XML with 413, quickly, while other requests are answered', async () => {
    const bomb = await zip(workbookParts(sheetXml(120_000, 20)));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { res, elapsed, probes } = await uploadWhileProbing(bomb);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('IMPORT_FILE_TOO_LARGE');
    expect(elapsed).toBeLessThan(5_000);
    expect(Math.max(...probes)).toBeLessThan(1_000);
  });

  it('refuses the same bomb when its headers claim 1 KB, counting the bytes as they inflate', async () => {
    // Few, long cells: the size limit, not the cell limit, is what stops this one.
    const liar = await zip(workbookParts(sheetXml(12_000, 1, 'x'.repeat(10_000)), 1024));
    const { res, elapsed, probes } = await uploadWhileProbing(liar);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('IMPORT_FILE_TOO_LARGE');
    expect(elapsed).toBeLessThan(10_000);
    expect(probes.length).toBeGreaterThan(0);
    expect(Math.max(...probes)).toBeLessThan(1_000);
  });

  it('refuses a sheet under the size limit that holds too many cells, before parsing it', async () => {
    // 30,000 rows × 20 cells = 600,000 cells in about 36 MB of XML.
    const dense = await zip(workbookParts(sheetXml(30_000, 20)));
    const res = await admin.upload(`/estates/${estateId}/imports/units`, {}, { file: { filename: 'padat.xlsx', content: dense } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('TOO_MANY_CELLS');
  });

  it('still imports the real sample sheet', async () => {
    const res = await admin.upload(
      `/estates/${estateId}/imports/units?dry_run=1`,
      {},
      { file: { filename: 'data-warga-griya-asri.xlsx', content: SAMPLE } },
    );
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ units_create: 150, error_rows: 0 });
  });
});
