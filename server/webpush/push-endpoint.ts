/**
 * Which push services the server will post to. A subscription's endpoint comes from the resident's browser, so an
 * arbitrary address would let anyone with a portal account make the server post to hosts it has no business with
 * (the estate LAN, a cloud metadata address). Browsers' push services are few and known; `KLUSTERA_PUSH_SERVICES`
 * adds origins (comma-separated, e.g. a self-hosted push service, or the fake one the tests run on 127.0.0.1).
 */
const KNOWN_PUSH_HOSTS = [
  // Chrome, Edge on Android, Samsung Internet, Opera
  'fcm.googleapis.com',
  'android.googleapis.com',
  // Firefox
  'updates.push.services.mozilla.com',
  // Safari (macOS and iOS home-screen apps)
  'web.push.apple.com',
];
/** Edge on Windows: one host per region under this domain. */
const KNOWN_PUSH_SUFFIXES = ['.notify.windows.com', '.push.apple.com'];

/** Longest endpoint accepted; real ones are under 600 characters. */
export const ENDPOINT_MAX_LENGTH = 1024;

export function extraPushOrigins(env: string | undefined = process.env.KLUSTERA_PUSH_SERVICES): string[] {
  return (env ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap((s) => {
      try {
        return [new URL(s).origin];
      } catch {
        return [];
      }
    });
}

/** Why the endpoint is refused, or null when the server may post to it. */
export function endpointRefusal(endpoint: string, extraOrigins: string[] = extraPushOrigins()): string | null {
  if (endpoint.length > ENDPOINT_MAX_LENGTH) return 'too_long';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'not_a_url';
  }
  if (url.username || url.password) return 'not_a_push_service';
  if (extraOrigins.includes(url.origin)) return null;
  if (url.protocol !== 'https:' || (url.port && url.port !== '443')) return 'not_a_push_service';
  const host = url.hostname.toLowerCase();
  if (KNOWN_PUSH_HOSTS.includes(host) || KNOWN_PUSH_SUFFIXES.some((s) => host.endsWith(s))) return null;
  return 'not_a_push_service';
}

/** Key sizes fixed by RFC 8291: an uncompressed P-256 point and a 16-byte authentication secret, base64url. */
export function keysRefusal(p256dh: string, auth: string): string | null {
  const point = decode(p256dh);
  if (!point || point.length !== 65 || point[0] !== 0x04) return 'p256dh';
  const secret = decode(auth);
  if (!secret || secret.length !== 16) return 'auth';
  return null;
}

function decode(value: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return null;
  return Buffer.from(value, 'base64url');
}

/** The portal page a push opens, by what caused it; a path inside the portal, never an outside address. */
export function pushLink(causeKind: string, causeId: string): string {
  if (causeKind === 'announcement') return `/portal/announcements/${encodeURIComponent(causeId)}`;
  if (causeKind === 'guest_arrived' || causeKind === 'walk_in') return '/portal/guests';
  if (causeKind === 'payment_received' || causeKind === 'proof_rejected' || causeKind.startsWith('reminder')) return '/portal/bills';
  return '/portal/notifications';
}
