import type { Request, Response } from 'express';
import { parse as parseCookie } from 'cookie';

/**
 * Where a kiosk keeps its device credential. A token in localStorage is readable by any script that ever runs on the
 * origin (one XSS in the portal, which shares the origin, would walk off with a gate credential that never expires).
 * So a browser kiosk gets the token as an httpOnly cookie at pairing and never sees it:
 *
 * - `SameSite=Strict`, `Secure` on HTTPS, and scoped to `/api/v1/estates/<estate>/`, so it is sent only to that
 *   estate's API and never with pages or cross-site navigations;
 * - it counts only on requests that also carry `X-Klustera-Device: 1`. A custom header cannot be sent cross-site
 *   without a CORS preflight this server never grants, so the header is the CSRF proof (as the CSRF token is for
 *   sessions), and an office session open in the same browser is not silently replaced by the kiosk's identity.
 *
 * Scripts and devices that are not browsers pair without the header and keep getting a bearer token.
 */
export const DEVICE_COOKIE = 'klustera_device';
export const DEVICE_HEADER = 'x-klustera-device';
// A device stays paired until the office revokes it; the cookie only needs to outlive the tablet's restarts.
const DEVICE_COOKIE_MAX_AGE_MS = 5 * 365 * 24 * 3600 * 1000;

export function wantsDeviceCookie(req: Request): boolean {
  return req.headers[DEVICE_HEADER] === '1';
}

export function setDeviceCookie(req: Request, res: Response, estateId: string, token: string): void {
  res.cookie(DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: `/api/v1/estates/${estateId}/`,
    maxAge: DEVICE_COOKIE_MAX_AGE_MS,
  });
}

export function deviceCookieToken(req: Request): string | undefined {
  if (!req.headers.cookie) return undefined;
  return parseCookie(req.headers.cookie)[DEVICE_COOKIE] || undefined;
}
