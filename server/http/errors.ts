/**
 * Typed errors with stable codes. The pipeline maps them to `{"error": {code, message, field}}` in one place
 * (`toErrorResponse`); the UI shows messages keyed by `code`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, field?: string, code = 'VALIDATION_FAILED') {
    super(400, code, message, field);
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string, field?: string) {
    super(400, code, message, field);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Silakan masuk terlebih dahulu.', code = 'UNAUTHENTICATED') {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Anda tidak memiliki akses untuk tindakan ini.', code = 'FORBIDDEN') {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'Data', code = 'NOT_FOUND') {
    super(404, code, `${what} tidak ditemukan.`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, field?: string) {
    super(409, code, message, field);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, message: string, field?: string) {
    super(422, code, message, field);
  }
}

/** Something that existed and was valid once but no longer is (a used or expired one-time link). */
export class GoneError extends AppError {
  constructor(code: string, message: string) {
    super(410, code, message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(429, code, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(code = 'PAYLOAD_TOO_LARGE', message = 'Data yang dikirim terlalu besar.', field?: string) {
    super(413, code, message, field);
  }
}

/**
 * A service the request needed (a payment gateway) refused or could not be reached. Nothing was wrong with the
 * request and nothing was lost: the same request can be sent again.
 */
export class UpstreamUnavailableError extends AppError {
  constructor(code: string, message: string) {
    super(502, code, message);
  }
}

/** A route answered outside its documented response schema (checked only when KLUSTERA_VALIDATE_RESPONSES=1). */
export class ResponseSchemaError extends AppError {
  constructor(issues: unknown[]) {
    super(500, 'RESPONSE_SCHEMA', 'Jawaban server tidak sesuai skemanya.', undefined, issues);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; details?: unknown };
}

/**
 * The database could not take the request in time: every pooled connection stayed busy until knex gave up waiting
 * (`KnexTimeoutError`), or SQLite's writer lock outlasted its busy timeout. Nothing was written, and the same request
 * can succeed a moment later, so the answer is 503 with Retry-After rather than a 500 that reads as a bug.
 */
function isOverloaded(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown };
  return e?.name === 'KnexTimeoutError' || e?.code === 'SQLITE_BUSY';
}

/**
 * A UNIQUE (or primary key) constraint refused the write: the same human number, code or key already exists, most
 * often because two requests raced past the check before the insert. The transaction rolled back, so nothing was
 * written; the answer is a 409 the client can act on, never the SQL text, and routes that check first keep their
 * own codes. SQLite (better-sqlite3) and PostgreSQL (23505) say it differently.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    (typeof e?.message === 'string' && /UNIQUE constraint failed/.test(e.message))
  );
}

export function toErrorResponse(err: unknown): { status: number; body: ErrorBody; unexpected: boolean; retryAfterSeconds?: number } {
  if (err instanceof AppError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.field) body.error.field = err.field;
    if (err.details !== undefined) body.error.details = err.details;
    return { status: err.status, body, unexpected: false };
  }
  const e = err as { type?: string; status?: number; code?: string };
  // body-parser and multer errors carry their own status; they are the client's fault, not ours.
  if (e?.type === 'entity.parse.failed') {
    return { status: 400, body: { error: { code: 'INVALID_JSON', message: 'Badan permintaan bukan JSON yang sah.' } }, unexpected: false };
  }
  if (e?.type === 'entity.too.large' || e?.code === 'LIMIT_FILE_SIZE' || e?.code === 'LIMIT_FIELD_VALUE') {
    return { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Data yang dikirim terlalu besar.' } }, unexpected: false };
  }
  if (typeof e?.code === 'string' && e.code.startsWith('LIMIT_')) {
    return { status: 400, body: { error: { code: 'INVALID_UPLOAD', message: 'Unggahan tidak sah.' } }, unexpected: false };
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return { status: 415, body: { error: { code: 'UNSUPPORTED_ENCODING', message: 'Encoding tidak didukung.' } }, unexpected: false };
  }
  if (isOverloaded(err)) {
    return {
      status: 503,
      body: { error: { code: 'SERVER_BUSY', message: 'Server sedang sibuk. Coba lagi sebentar lagi.' } },
      unexpected: false,
      retryAfterSeconds: 2,
    };
  }
  if (isUniqueViolation(err)) {
    return {
      status: 409,
      body: {
        error: {
          code: 'CONFLICT_DUPLICATE',
          message: 'Data yang sama sudah ada (nomor atau kode sudah dipakai). Muat ulang lalu coba lagi.',
        },
      },
      unexpected: false,
    };
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, body: { error: { code: 'BAD_REQUEST', message: 'Permintaan tidak sah.' } }, unexpected: false };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Terjadi kesalahan pada server.' } }, unexpected: true };
}
