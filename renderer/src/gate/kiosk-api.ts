import { buildUrl, type Query } from '../api/client.ts';
import { ApiError, CLIENT_ERROR_CODES, apiErrorFromBody } from '../api/errors.ts';

/**
 * The kiosk talks with its device token, not a person's session: it stays signed in across guards and restarts.
 * Estate and token live in localStorage of the kiosk browser only.
 */
const STORAGE_KEY = 'klustera.kiosk.device';

export interface KioskDevice {
  estateId: string;
  token: string;
}

export function loadDevice(): KioskDevice | null {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as KioskDevice | null;
    return value?.estateId && value.token ? value : null;
  } catch {
    return null;
  }
}

export function saveDevice(device: KioskDevice | null): void {
  if (device) localStorage.setItem(STORAGE_KEY, JSON.stringify(device));
  else localStorage.removeItem(STORAGE_KEY);
}

export async function kioskRequest<T>(device: KioskDevice | null, method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (device) headers.Authorization = `Bearer ${device.token}`;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), { method, headers, credentials: 'omit', body: body === undefined ? undefined : JSON.stringify(body) });
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

export type Verdict = {
  verdict: 'accepted' | 'rejected';
  reason: string | null;
  direction: 'in' | 'out';
  pass: null | { id: string; kind: string; name: string; unit_code: string; purpose: string | null; plate: string | null; people: number };
  visit_id: string | null;
  entry_id: string;
  slip: string;
};

export interface Shift {
  id: string;
  gate: { id: string; name: string };
  guard: { id: string; name: string };
}

export interface VisitItem {
  id: string;
  kind: string;
  name: string;
  unit_code: string;
  purpose: string | null;
  plate: string | null;
  people: number;
  entered_at: string;
  overstay: boolean;
}

export interface ExpectedItem {
  id: string;
  kind: string;
  name: string;
  unit_code: string;
  purpose: string | null;
  plate: string | null;
  valid_from: string;
  valid_until: string;
}
