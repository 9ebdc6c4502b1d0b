import webpush from 'web-push';
import { endpointRefusal } from './push-endpoint.ts';
import type { VapidKeys } from './vapid-keys.ts';

/**
 * One push to one browser (RFC 8030): the payload encrypted to the subscription's keys (aes128gcm, RFC 8291) and
 * signed for with this installation's VAPID key (RFC 8292) by `web-push`; the request itself is made here with
 * fetch, so the timeout and the reading of the push service's answer are ours.
 */
export interface PushPayload {
  title: string;
  body: string;
  /** A portal path the notification opens. */
  url: string;
  /** Repeated pushes with one tag replace each other on the phone instead of stacking (a retry after a partial send). */
  tag: string;
}

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export type PushOutcome =
  | { kind: 'delivered'; location: string | null }
  /** 404 or 410: the browser dropped the subscription; it is removed. */
  | { kind: 'gone'; status: number }
  | { kind: 'failed'; reason: string; retryable: boolean };

const TIMEOUT_MS = 15_000;
/** How long the push service keeps a message for a phone that is off (4 days: a notice older than that is stale). */
const TTL_SECONDS = 4 * 24 * 3600;

export async function sendPush(target: PushTarget, payload: PushPayload, keys: VapidKeys, subject: string): Promise<PushOutcome> {
  // Checked again when sending: the allowed services may have changed since the browser subscribed.
  if (endpointRefusal(target.endpoint)) return { kind: 'gone', status: 0 };
  let details: ReturnType<typeof webpush.generateRequestDetails>;
  try {
    details = webpush.generateRequestDetails(
      { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
      JSON.stringify(payload),
      {
        vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
        TTL: TTL_SECONDS,
        urgency: 'normal',
        contentEncoding: 'aes128gcm',
      },
    );
  } catch (err) {
    // Keys the library cannot encrypt to: this subscription can never be reached.
    return { kind: 'failed', reason: `Push: ${(err as Error).message}`.slice(0, 300), retryable: false };
  }
  let res: Response;
  try {
    res = await fetch(details.endpoint, {
      method: 'POST',
      headers: details.headers as Record<string, string>,
      body: details.body ? new Uint8Array(details.body) : undefined,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    return { kind: 'failed', reason: `Layanan push tidak dapat dihubungi: ${(err as Error).message}`.slice(0, 300), retryable: true };
  }
  const text = (await res.text().catch(() => '')).slice(0, 200);
  if (res.status >= 200 && res.status < 300) return { kind: 'delivered', location: res.headers.get('location') };
  if (res.status === 404 || res.status === 410) return { kind: 'gone', status: res.status };
  // 429 and 5xx pass; other 4xx (a refused VAPID signature, a payload too large) will not get better by retrying.
  const retryable = res.status === 429 || res.status >= 500;
  return { kind: 'failed', reason: `Push: HTTP ${res.status} ${text}`.trim(), retryable };
}

/** The contact the push service may write to about this installation's pushes (RFC 8292 `sub`). */
export function vapidSubject(publicUrl: string): string {
  try {
    const url = new URL(publicUrl);
    if (url.protocol === 'https:' && url.hostname !== 'localhost') return url.origin;
  } catch {
    // an unusable address falls back below
  }
  return 'mailto:pengurus@klustera.invalid';
}
