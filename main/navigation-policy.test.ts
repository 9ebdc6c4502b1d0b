import { describe, expect, it } from 'vitest';
import { decideNavigation, isAllowedRequestUrl, isSafeExternalUrl, isSameOrigin } from './navigation-policy.ts';

const app = 'http://127.0.0.1:41234';

describe('decideNavigation', () => {
  it('allows pages on the server origin', () => {
    expect(decideNavigation('http://127.0.0.1:41234/kiosk', app)).toBe('allow');
    expect(decideNavigation('http://127.0.0.1:41234/units?q=A1#top', app)).toBe('allow');
  });

  it('sends WhatsApp and other web links to the browser', () => {
    expect(decideNavigation('https://wa.me/6281234567890?text=Tagihan', app)).toBe('open-external');
    expect(decideNavigation('http://example.com/', app)).toBe('open-external');
  });

  it('treats another port or scheme on the same host as foreign', () => {
    expect(decideNavigation('http://127.0.0.1:9999/', app)).toBe('open-external');
    expect(isSameOrigin('https://127.0.0.1:41234/', app)).toBe(false);
    expect(isSameOrigin('http://localhost:41234/', app)).toBe(false);
  });

  it('denies schemes that could launch programs or read files', () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'not a url', 'data:text/html,hi']) {
      expect(decideNavigation(url, app)).toBe('deny');
    }
  });
});

describe('isSafeExternalUrl', () => {
  it('refuses embedded credentials and absurdly long links', () => {
    expect(isSafeExternalUrl('https://user:pw@example.com/')).toBe(false);
    expect(isSafeExternalUrl(`https://example.com/${'a'.repeat(5000)}`)).toBe(false);
    expect(isSafeExternalUrl('https://wa.me/62812')).toBe(true);
  });
});

describe('isAllowedRequestUrl', () => {
  it('allows the app origin, its websocket and in-page data', () => {
    expect(isAllowedRequestUrl('http://127.0.0.1:41234/assets/index.js', app)).toBe(true);
    expect(isAllowedRequestUrl('ws://127.0.0.1:41234/api/v1/live', app)).toBe(true);
    expect(isAllowedRequestUrl('data:image/png;base64,AAAA', app)).toBe(true);
    expect(isAllowedRequestUrl('blob:http://127.0.0.1:41234/uuid', app)).toBe(true);
  });

  it('blocks remote content and websockets to other hosts', () => {
    expect(isAllowedRequestUrl('https://cdn.example.com/lib.js', app)).toBe(false);
    expect(isAllowedRequestUrl('ws://127.0.0.1:1/', app)).toBe(false);
    expect(isAllowedRequestUrl('wss://127.0.0.1:41234/', app)).toBe(false);
    expect(isAllowedRequestUrl('file:///etc/passwd', app)).toBe(false);
  });
});
