import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { endpointRefusal, extraPushOrigins, keysRefusal, pushLink } from './push-endpoint.ts';

describe('push endpoints the server posts to', () => {
  it('accepts the browsers’ push services', () => {
    expect(endpointRefusal('https://fcm.googleapis.com/fcm/send/abc:def')).toBeNull();
    expect(endpointRefusal('https://updates.push.services.mozilla.com/wpush/v2/gAAAA')).toBeNull();
    expect(endpointRefusal('https://web.push.apple.com/QGz')).toBeNull();
    expect(endpointRefusal('https://wns2-par02p.notify.windows.com/w/?token=x')).toBeNull();
  });

  it('refuses other hosts, plain http, odd ports, credentials and long addresses', () => {
    expect(endpointRefusal('https://192.168.1.1/fcm/send/x', [])).toBe('not_a_push_service');
    expect(endpointRefusal('http://fcm.googleapis.com/fcm/send/x', [])).toBe('not_a_push_service');
    expect(endpointRefusal('https://fcm.googleapis.com:8443/x', [])).toBe('not_a_push_service');
    expect(endpointRefusal('https://a:b@fcm.googleapis.com/x', [])).toBe('not_a_push_service');
    expect(endpointRefusal('https://fcm.googleapis.com.evil.example/x', [])).toBe('not_a_push_service');
    expect(endpointRefusal('https://evilnotify.windows.com/x', [])).toBe('not_a_push_service');
    expect(endpointRefusal('not a url', [])).toBe('not_a_url');
    expect(endpointRefusal(`https://fcm.googleapis.com/${'x'.repeat(1100)}`, [])).toBe('too_long');
  });

  it('accepts the origins the operator adds, and only those', () => {
    const extra = extraPushOrigins(' http://127.0.0.1:4567 , nonsense');
    expect(extra).toEqual(['http://127.0.0.1:4567']);
    expect(endpointRefusal('http://127.0.0.1:4567/push/1', extra)).toBeNull();
    expect(endpointRefusal('http://127.0.0.1:4568/push/1', extra)).toBe('not_a_push_service');
  });

  it('checks the subscription keys’ sizes', () => {
    const point = createECDH('prime256v1');
    point.generateKeys();
    const p256dh = point.getPublicKey().toString('base64url');
    const auth = randomBytes(16).toString('base64url');
    expect(keysRefusal(p256dh, auth)).toBeNull();
    expect(keysRefusal(point.getPublicKey('base64url', 'compressed'), auth)).toBe('p256dh');
    expect(keysRefusal(p256dh, randomBytes(32).toString('base64url'))).toBe('auth');
    expect(keysRefusal('!!', auth)).toBe('p256dh');
  });

  it('opens the portal page of what caused the push', () => {
    expect(pushLink('announcement', 'a1')).toBe('/portal/announcements/a1');
    expect(pushLink('payment_received', 'p')).toBe('/portal/bills');
    expect(pushLink('walk_in', 'v')).toBe('/portal/guests');
    expect(pushLink('something_else', 'x')).toBe('/portal/notifications');
  });
});
