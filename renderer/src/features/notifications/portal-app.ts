import { api } from '../../api/client.ts';
import type { PushStatus, PushSubscriptionView } from '../../../../server/webpush/schemas.ts';

/**
 * The portal as an installable app: its manifest, linked only while the portal is shown (the office and the kiosk are
 * not apps to install on a phone), and its service worker, which shows pushes (server/webpush/README.md).
 */
const MANIFEST = '/portal.webmanifest';
const SERVICE_WORKER = '/portal-sw.js';
const SCOPE = '/portal';

export function linkPortalManifest(): () => void {
  let link = document.querySelector<HTMLLinkElement>(`link[rel="manifest"][href="${MANIFEST}"]`);
  if (!link) {
    link = document.createElement('link');
    link.rel = 'manifest';
    link.href = MANIFEST;
    document.head.append(link);
  }
  const added = link;
  return () => added.remove();
}

export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

export async function registerPortalWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null;
  return navigator.serviceWorker.register(SERVICE_WORKER, { scope: SCOPE });
}

/** A short name for the device in the resident's list, from what the browser says of itself. */
function deviceLabel(): string {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  const system = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS/.test(ua)
          ? 'macOS'
          : 'Linux';
  return `${browser} · ${system}`;
}

const base = (estateId: string) => `/estates/${estateId}/portal/push`;

export const pushApi = {
  status: (estateId: string, signal?: AbortSignal) => api.get<PushStatus>(base(estateId), undefined, signal),
  subscribe: (estateId: string, subscription: PushSubscriptionJSON) =>
    api.post<PushSubscriptionView>(`${base(estateId)}/subscriptions`, { ...subscription, device: deviceLabel() }),
  unsubscribe: (estateId: string, endpoint: string) =>
    api.post<{ removed: number }>(`${base(estateId)}/subscriptions/remove`, { endpoint }),
};

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}

/** Asks the phone's permission, subscribes with the installation's key and tells the server. */
export async function turnPushOn(estateId: string): Promise<'on' | 'denied'> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  const registration = await navigator.serviceWorker.ready;
  const { public_key } = await pushApi.status(estateId);
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(public_key) }));
  await pushApi.subscribe(estateId, subscription.toJSON());
  return 'on';
}

export async function turnPushOff(estateId: string): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  await pushApi.unsubscribe(estateId, subscription.endpoint);
  await subscription.unsubscribe();
}
