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
  | 'INVALID_MAPPING';

export class ImportFileError extends Error {
  readonly code: ImportFileErrorCode;
  readonly status: number;
  readonly field: string | undefined;

  constructor(code: ImportFileErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ImportFileError';
    this.code = code;
    this.status = code === 'PAYLOAD_TOO_LARGE' ? 413 : 400;
    this.field = field;
  }
}

/** Limits a single import upload is held to: a treasurer's sheet is a few hundred rows, not a data dump. */
export const IMPORT_LIMITS = {
  maxFileBytes: 5 * 1024 * 1024,
  maxDataRows: 20_000,
  // Total uncompressed size of an .xlsx's parts; stops a small zip from expanding into gigabytes of XML.
  maxXlsxUncompressedBytes: 150 * 1024 * 1024,
} as const;
