import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type ExcelJS from 'exceljs';
import { IMPORT_LIMITS, ImportFileError } from './import-file-error.ts';

/**
 * exceljs holds a whole workbook as objects and parses it in one go: a big (but allowed) sheet takes hundreds of MB
 * and seconds of CPU. Parsing happens on a worker thread with its own heap limit, so the server keeps answering the
 * kiosk and the portal meanwhile, and a workbook that still outgrows the limit ends that thread, not the server.
 *
 * The thread sends back each visible sheet's rows as [column, value] pairs, merged cells already resolved: a title
 * merged across columns reads as one cell, a block letter merged down the rows belongs to each of those rows.
 * (exceljs's streaming reader would use less memory but does not resolve merged cells.)
 */
export interface RawSheet {
  name: string;
  rows: Array<[number, Array<[number, ExcelJS.CellValue]>]>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ExcelJS = require(workerData.exceljs);
(async () => {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(workerData.buffer);
  } catch {
    parentPort.postMessage({ error: 'UNREADABLE_FILE' });
    return;
  }
  const sheets = [];
  for (const worksheet of workbook.worksheets) {
    if (worksheet.state === 'hidden' || worksheet.state === 'veryHidden') continue;
    const rows = [];
    let tooMany = false;
    worksheet.eachRow({ includeEmpty: false }, (row) => {
      if (tooMany) return;
      if (rows.length >= workerData.maxRows) { tooMany = true; return; }
      const cells = [];
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        let value = cell.value;
        if (cell.isMerged && cell.master !== cell) value = cell.master.col === cell.col ? cell.master.value : null;
        cells.push([column, value]);
      });
      rows.push([row.number, cells]);
    });
    if (tooMany) {
      parentPort.postMessage({ error: 'TOO_MANY_ROWS' });
      return;
    }
    sheets.push({ name: worksheet.name, rows });
  }
  try {
    parentPort.postMessage({ sheets });
  } catch {
    parentPort.postMessage({ error: 'UNREADABLE_FILE' });
  }
})();
`;

export function parseXlsxOnWorker(buffer: Buffer, maxRows: number): Promise<RawSheet[]> {
  const exceljs = createRequire(import.meta.url).resolve('exceljs');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { buffer, exceljs, maxRows },
      resourceLimits: { maxOldGenerationSizeMb: IMPORT_LIMITS.parserHeapMb, maxYoungGenerationSizeMb: 64 },
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const tooLarge = () =>
      new ImportFileError('IMPORT_FILE_TOO_LARGE', 'Lembar kerja terlalu besar untuk diimpor; pecah menjadi beberapa berkas.');
    const timer = setTimeout(() => settle(() => reject(tooLarge())), IMPORT_LIMITS.parserTimeoutMs);
    worker.on('message', (message: { sheets?: RawSheet[]; error?: string }) => {
      if (message.sheets) return settle(() => resolve(message.sheets!));
      if (message.error === 'TOO_MANY_ROWS') {
        return settle(() => reject(new ImportFileError('TOO_MANY_ROWS', `Lembar berisi lebih dari ${IMPORT_LIMITS.maxDataRows} baris.`)));
      }
      settle(() => reject(new ImportFileError('UNREADABLE_FILE', 'Berkas tidak dapat dibaca sebagai buku kerja Excel (.xlsx).')));
    });
    worker.on('error', (error: Error & { code?: string }) => {
      // ERR_WORKER_OUT_OF_MEMORY: the workbook outgrew the parser's heap.
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? tooLarge()
            : new ImportFileError('UNREADABLE_FILE', 'Berkas tidak dapat dibaca sebagai buku kerja Excel (.xlsx).'),
        ),
      );
    });
    worker.on('exit', () =>
      settle(() => reject(new ImportFileError('UNREADABLE_FILE', 'Berkas tidak dapat dibaca sebagai buku kerja Excel (.xlsx).'))),
    );
  });
}
