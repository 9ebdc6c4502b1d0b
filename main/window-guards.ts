import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { isPermissionGranted } from './permission-policy.ts';
import { decideNavigation, isAllowedRequestUrl, isSameOrigin } from './navigation-policy.ts';
import { isBlockedKioskShortcut } from './kiosk-shortcuts.ts';

/**
 * Applies the navigation policy to every web contents the app creates (windows, and anything a page might
 * try to spawn): same-origin pages load, safe web links go to the user's browser, everything else is dropped.
 */
export function guardWebContents(
  contents: WebContents,
  appOrigin: string,
  openExternal: (url: string) => void,
  childWindowOptions: BrowserWindowConstructorOptions,
): void {
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideNavigation(url, appOrigin);
    // Same-origin pop-ups (e.g. a printable receipt) get a window hardened like the main one; it is guarded
    // by this same function when its web contents are created.
    if (decision === 'allow') return { action: 'allow', overrideBrowserWindowOptions: childWindowOptions };
    if (decision === 'open-external') openExternal(url);
    return { action: 'deny' };
  });

  contents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url, appOrigin);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-external') openExternal(url);
  });

  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isSameOrigin(event.url, appOrigin)) event.preventDefault();
  });

  contents.on('will-redirect', (event, url) => {
    if (!isSameOrigin(url, appOrigin)) event.preventDefault();
  });

  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Keeps the guard-post window on screen: no closing or leaving full screen from the keyboard. */
export function guardKioskContents(contents: WebContents): void {
  contents.on('before-input-event', (event, input) => {
    if (isBlockedKioskShortcut(input)) event.preventDefault();
  });
}

/** Session-wide: remote sub-resources are cancelled and only the kiosk camera permission is ever granted. */
export function guardSession(session: Session, appOrigin: string): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isPermissionGranted({ permission, requestingUrl: details.requestingUrl ?? contents.getURL(), appOrigin, mediaTypes }));
  });
  session.setPermissionCheckHandler((contents, permission, requestingOrigin, details) => {
    const requestingUrl = details.requestingUrl ?? contents?.getURL() ?? requestingOrigin;
    const mediaTypes = details.mediaType ? [details.mediaType] : [];
    return isPermissionGranted({ permission, requestingUrl, appOrigin, mediaTypes });
  });
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(details.url, appOrigin) });
  });
}
