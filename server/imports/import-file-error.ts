/**
 * Why a spreadsheet could not be turned into an import plan. The parsing modules stay free of the HTTP layer, so
 * they throw this and the route maps `code` / `status` onto the API's error shape.
 */
export type ImportFileErrorCode =
  | 'UNSUPPORTED_FILE'
  | 'UNREADABLE_FILE'
  | 'EMPTY_FILE'
  | 'TOO_MANY_ROWS'
  | 'PAYLOAD_TOO_LARGE'
  | 'IMPORT_FILE_TOO_LARGE'
  | 'TOO_MANY_CELLS'
  | 'INVALID_MAPPING';

export class ImportFileError extends Error {
  readonly code: ImportFileErrorCode;
  readonly status: number;
  readonly field: string | undefined;

  constructor(code: ImportFileErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ImportFileError';
    this.code = code;
    this.status = code === 'PAYLOAD_TOO_LARGE' || code === 'IMPORT_FILE_TOO_LARGE' ? 413 : 400;
    this.field = field;
  }
}

/** Limits a single import upload is held to: a treasurer's sheet is a few hundred rows, not a data dump. */
export const IMPORT_LIMITS = {
  maxFileBytes: 5 * 1024 * 1024,
  maxDataRows: 20_000,
  // What an .xlsx may inflate to, counted as it inflates: a 20,000-row sheet of 15 columns is about 17 MB of XML.
  maxXlsxUncompressedBytes: 48 * 1024 * 1024,
  maxXlsxParts: 2_000,
  // `<row>` elements, empty formatted ones included (a template formatted far down the sheet has many).
  maxXlsxRows: 100_000,
  maxXlsxCells: 400_000,
  // The parser's heap on its worker thread: 400,000 cells take about 400 MB in exceljs.
  parserHeapMb: 768,
  parserTimeoutMs: 120_000,
} as const;
