/**
 * What the window may load. The app's only trusted origin is the Klustera server it was started with;
 * everything else is either handed to the user's browser (plain http/https links such as wa.me) or refused.
 */
export type NavigationDecision = 'allow' | 'open-external' | 'deny';

const MAX_EXTERNAL_URL_LENGTH = 4096;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function isSameOrigin(url: string, appOrigin: string): boolean {
  const parsed = parse(url);
  return parsed !== null && parsed.origin === new URL(appOrigin).origin;
}

/**
 * A link is safe to pass to the OS only when it is plain http(s) with a host and no embedded credentials:
 * `shell.openExternal` with `file:`, `smb:` or custom schemes can launch programs.
 */
export function isSafeExternalUrl(url: string): boolean {
  if (url.length > MAX_EXTERNAL_URL_LENGTH) return false;
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  return parsed.hostname !== '';
}

export function decideNavigation(targetUrl: string, appOrigin: string): NavigationDecision {
  if (isSameOrigin(targetUrl, appOrigin)) return 'allow';
  if (isSafeExternalUrl(targetUrl)) return 'open-external';
  return 'deny';
}

/**
 * Sub-resource requests (scripts, images, fetch, websockets) may only reach the app origin.
 * data:/blob: stay inside the page; devtools: is Chromium's own inspector in development.
 */
export function isAllowedRequestUrl(url: string, appOrigin: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'devtools:') return true;
  const app = new URL(appOrigin);
  if (parsed.protocol === 'ws:' || parsed.protocol === 'wss:') {
    const matchingScheme = app.protocol === 'https:' ? 'wss:' : 'ws:';
    return parsed.protocol === matchingScheme && parsed.host === app.host;
  }
  return parsed.origin === app.origin;
}
