/**
 * Where the desktop app looks for updates. Self-hosters get no update check at all unless they name a feed: an
 * estate office that installed from a USB stick must not start calling a server nobody chose. A feed is an
 * electron-builder "generic" provider folder (latest.yml / latest-linux.yml / latest-mac.yml beside the installers).
 */
export type UpdateFeed = { enabled: false } | { enabled: true; url: string };

export class UpdateFeedError extends Error {
  override name = 'UpdateFeedError';
}

function isLoopbackOrPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1' || host.endsWith('.local')) return true;
  const octets = host.split('.').map(Number);
  if (octets.length !== 4 || octets.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return false;
  const [a, b] = octets as [number, number, number, number];
  return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
}

/**
 * `--update-feed <url>` wins over `KLUSTERA_UPDATE_FEED`. Updates are code the app will run, so plain http is
 * accepted only for a feed on the estate's own network (a mirror on the office LAN); anything on the internet
 * must be https. electron-updater also checks the sha512 of each download against the feed's metadata.
 */
export function resolveUpdateFeed(input: { flag: string | undefined; env: NodeJS.ProcessEnv }): UpdateFeed {
  const raw = (input.flag ?? input.env.KLUSTERA_UPDATE_FEED ?? '').trim();
  if (raw === '' || raw === 'off') return { enabled: false };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UpdateFeedError(`the update feed is not a URL: ${raw}`);
  }
  if (url.username || url.password) throw new UpdateFeedError('the update feed must not carry a user name or password');
  if (url.protocol === 'http:' && !isLoopbackOrPrivateHost(url.hostname)) {
    throw new UpdateFeedError('an update feed on the internet must use https://');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UpdateFeedError('the update feed must be an https:// address');
  }
  url.hash = '';
  url.search = '';
  return { enabled: true, url: url.toString().replace(/\/?$/, '/') };
}

/** Hours between checks after the first one shortly after start-up. */
export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;
