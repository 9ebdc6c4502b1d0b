import { buildUrl, languageHeaders, type Query } from '../api/client.ts';
import { ApiError, CLIENT_ERROR_CODES, apiErrorFromBody } from '../api/errors.ts';

/**
 * The kiosk talks as its device, not as a person's session: it stays signed in across guards and restarts. The
 * device credential is an httpOnly cookie the server sets at pairing (scripts on this origin cannot read it; see
 * server/auth/device-cookie.ts); the `X-Klustera-Device` header asks the server to use it. localStorage keeps only
 * which estate this kiosk belongs to, which is no secret.
 */
const STORAGE_KEY = 'klustera.kiosk.device';

export interface KioskDevice {
  estateId: string;
}

export function loadDevice(): KioskDevice | null {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as (KioskDevice & { token?: string }) | null;
    if (!value?.estateId) return null;
    // A kiosk paired before the cookie existed kept its token here: drop it (it pairs again once).
    if (value.token) {
      localStorage.removeItem(STORAGE_KEY);
      return null;
    }
    return { estateId: value.estateId };
  } catch {
    return null;
  }
}

export function saveDevice(device: KioskDevice | null): void {
  if (device) localStorage.setItem(STORAGE_KEY, JSON.stringify({ estateId: device.estateId }));
  else localStorage.removeItem(STORAGE_KEY);
}

export async function kioskRequest<T>(
  _device: KioskDevice | null,
  method: string,
  path: string,
  body?: unknown,
  query?: Query,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...languageHeaders(), 'X-Klustera-Device': '1' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, CLIENT_ERROR_CODES.network, (cause as Error)?.message ?? 'network error');
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw apiErrorFromBody(response.status, parsed);
  return parsed as T;
}

// The server's own answer shapes (type-only: no server code reaches the bundle).
export type {
  ExpectedPass as ExpectedItem,
  GateShift as Shift,
  ScanVerdict as Verdict,
  ShiftHandover,
  WalkInAnswer,
  Visit as VisitItem,
} from '../../../server/gate/schemas.ts';
