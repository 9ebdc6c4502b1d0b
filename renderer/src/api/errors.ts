import { noteEstateSuspended } from './estate-suspension.ts';

/**
 * The server answers every failure with `{"error": {"code", "message", "field"}}`. The UI shows text keyed by `code`
 * (see i18n/<lang>/errors.ts) and puts a `field` error next to its input, so the error keeps all three apart.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** Codes the client itself produces when there is no server answer to read. */
export const CLIENT_ERROR_CODES = {
  network: 'NETWORK_ERROR',
  badResponse: 'BAD_RESPONSE',
} as const;

export function apiErrorFromBody(status: number, body: unknown): ApiError {
  const error = (body as { error?: unknown } | null)?.error;
  if (error && typeof error === 'object') {
    const { code, message, field } = error as Record<string, unknown>;
    if (code === 'ESTATE_SUSPENDED') noteEstateSuspended();
    if (typeof code === 'string') {
      return new ApiError(
        status,
        code,
        typeof message === 'string' ? message : code,
        typeof field === 'string' && field !== '' ? field : undefined,
      );
    }
  }
  return new ApiError(status, CLIENT_ERROR_CODES.badResponse, `HTTP ${status}`);
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
