import type { Language } from '../i18n/messages.ts';
import { ApiError, CLIENT_ERROR_CODES, apiErrorFromBody } from './errors.ts';

/**
 * The one way the renderer talks to the server. Browsers authenticate with the httpOnly session cookie, which the
 * server guards with a CSRF token: it is handed out by login/setup/me and must come back as `X-CSRF-Token` on every
 * write, so it lives here rather than in React state.
 */
const API_BASE = '/api/v1';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = null;
let language: Language = 'id';

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Set by the i18n provider whenever the UI language changes, so the server words its error messages alike. */
export function setRequestLanguage(next: Language): void {
  language = next;
}

/** Sent on every request: the server's messages (shown next to a field) come in the language the UI shows. */
export function languageHeaders(): Record<string, string> {
  return { 'Accept-Language': language };
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers, e.g. `Idempotency-Key` on payment forms. */
  headers?: Record<string, string>;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

function writeHeaders(method: string): Record<string, string> {
  return WRITE_METHODS.has(method) && csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const upper = method.toUpperCase();
  const isForm = options.body instanceof FormData;
  // A file sent as the whole body (an estate archive): its own type, never JSON.
  const isFile = options.body instanceof Blob;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...languageHeaders(),
    ...writeHeaders(upper),
    ...options.headers,
  };
  if (isFile) headers['Content-Type'] ??= (options.body as Blob).type || 'application/octet-stream';
  else if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: upper,
      headers,
      credentials: 'same-origin',
      signal: options.signal,
      body: options.body === undefined ? undefined : isForm || isFile ? (options.body as FormData | Blob) : JSON.stringify(options.body),
    });
  } catch (cause) {
    if ((cause as Error)?.name === 'AbortError') throw cause;
    throw new ApiError(0, CLIENT_ERROR_CODES.network, (cause as Error)?.message ?? 'network error');
  }

  const body = await readBody(response);
  if (!response.ok) throw apiErrorFromBody(response.status, body);
  if (body === undefined) throw new ApiError(response.status, CLIENT_ERROR_CODES.badResponse, 'not JSON');
  return body as T;
}

/**
 * A write whose answer is a file (a receipt printed as PDF): the same CSRF header and error handling as JSON calls,
 * with the body handed back as a Blob together with the response headers.
 */
export async function apiFileRequest(method: string, path: string, body?: unknown): Promise<{ blob: Blob; headers: Headers }> {
  const upper = method.toUpperCase();
  const headers: Record<string, string> = { Accept: 'application/pdf, application/json', ...languageHeaders(), ...writeHeaders(upper) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(buildUrl(path), {
      method: upper,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, CLIENT_ERROR_CODES.network, (cause as Error)?.message ?? 'network error');
  }
  if (!response.ok) throw apiErrorFromBody(response.status, await readBody(response));
  return { blob: await response.blob(), headers: response.headers };
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => apiRequest<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: Query) => apiRequest<T>('POST', path, { body, query }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, { body }),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
};

/**
 * Multipart upload with progress. fetch() cannot report upload progress, and an import file from a slow laptop on
 * estate Wi-Fi takes long enough that the treasurer should see it move.
 */
export function uploadWithProgress<T>(
  path: string,
  form: FormData,
  options: { query?: Query; onProgress?: (fraction: number) => void } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(path, options.query));
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [name, value] of Object.entries({ ...languageHeaders(), ...writeHeaders('POST') })) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, CLIENT_ERROR_CODES.network, 'network error'));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = undefined;
      }
      if (xhr.status < 200 || xhr.status >= 300) reject(apiErrorFromBody(xhr.status, body));
      else if (body === undefined) reject(new ApiError(xhr.status, CLIENT_ERROR_CODES.badResponse, 'not JSON'));
      else resolve(body as T);
    };
    xhr.send(form);
  });
}
