/**
 * Chromium asks before a page may use the camera, notifications, geolocation, etc. The guard-post kiosk needs
 * the camera to read QR passes when no USB scanner is attached, so video capture is granted to /kiosk pages.
 * The only other grant is writing plain text to the clipboard from app pages ("copy invite link" in the office):
 * Chromium sanitises it and it cannot read anything back. Everything else is denied.
 */
export interface PermissionQuery {
  /** Electron's permission name, e.g. 'media', 'notifications', 'geolocation'. */
  permission: string;
  /** URL of the frame asking. */
  requestingUrl: string;
  appOrigin: string;
  /** For 'media' requests: which devices ('video', 'audio'). Empty or absent when Chromium does not say. */
  mediaTypes?: readonly string[];
}

function isKioskPage(url: string, appOrigin: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.origin !== new URL(appOrigin).origin) return false;
    return parsed.pathname === '/kiosk' || parsed.pathname.startsWith('/kiosk/');
  } catch {
    return false;
  }
}

function isAppPage(url: string, appOrigin: string): boolean {
  try {
    return new URL(url).origin === new URL(appOrigin).origin;
  } catch {
    return false;
  }
}

export function isPermissionGranted(query: PermissionQuery): boolean {
  if (query.permission === 'clipboard-sanitized-write') return isAppPage(query.requestingUrl, query.appOrigin);
  if (query.permission !== 'media') return false;
  if (!isKioskPage(query.requestingUrl, query.appOrigin)) return false;
  const types = query.mediaTypes ?? [];
  // A permission *check* carries no media types; a *request* must ask for the camera and nothing else.
  return types.every((type) => type === 'video');
}
