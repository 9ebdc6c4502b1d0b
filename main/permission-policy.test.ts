import { describe, expect, it } from 'vitest';
import { isPermissionGranted } from './permission-policy.ts';

const appOrigin = 'http://127.0.0.1:41234';

describe('isPermissionGranted', () => {
  it('grants the camera to the kiosk page', () => {
    expect(isPermissionGranted({ permission: 'media', requestingUrl: `${appOrigin}/kiosk`, appOrigin, mediaTypes: ['video'] })).toBe(true);
    expect(isPermissionGranted({ permission: 'media', requestingUrl: `${appOrigin}/kiosk/scan`, appOrigin })).toBe(true);
  });

  it('refuses the microphone even on the kiosk page', () => {
    expect(
      isPermissionGranted({ permission: 'media', requestingUrl: `${appOrigin}/kiosk`, appOrigin, mediaTypes: ['video', 'audio'] }),
    ).toBe(false);
    expect(isPermissionGranted({ permission: 'media', requestingUrl: `${appOrigin}/kiosk`, appOrigin, mediaTypes: ['audio'] })).toBe(false);
  });

  it('refuses the camera to office pages, look-alike paths and other origins', () => {
    expect(isPermissionGranted({ permission: 'media', requestingUrl: `${appOrigin}/units`, appOrigin, mediaTypes: ['video'] })).toBe(false);
    expect(isPermissionGranted({ permission: 'media', requestingUrl: `${appOrigin}/kiosks`, appOrigin, mediaTypes: ['video'] })).toBe(
      false,
    );
    expect(
      isPermissionGranted({ permission: 'media', requestingUrl: 'https://evil.example/kiosk', appOrigin, mediaTypes: ['video'] }),
    ).toBe(false);
  });

  it('lets app pages write to the clipboard (copy invite link) but not other origins, and never read it', () => {
    expect(isPermissionGranted({ permission: 'clipboard-sanitized-write', requestingUrl: `${appOrigin}/users`, appOrigin })).toBe(true);
    expect(isPermissionGranted({ permission: 'clipboard-sanitized-write', requestingUrl: 'https://evil.example/', appOrigin })).toBe(false);
    expect(isPermissionGranted({ permission: 'clipboard-read', requestingUrl: `${appOrigin}/users`, appOrigin })).toBe(false);
  });

  it('refuses every other permission', () => {
    for (const permission of ['notifications', 'geolocation', 'openExternal', 'clipboard-read', 'midi', 'fullscreen', 'hid', 'serial']) {
      expect(isPermissionGranted({ permission, requestingUrl: `${appOrigin}/kiosk`, appOrigin })).toBe(false);
    }
  });
});
