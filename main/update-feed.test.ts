import { describe, expect, it } from 'vitest';
import { resolveUpdateFeed, UpdateFeedError } from './update-feed.ts';

describe('resolveUpdateFeed', () => {
  it('is off when neither the flag nor the environment names a feed', () => {
    expect(resolveUpdateFeed({ flag: undefined, env: {} })).toEqual({ enabled: false });
    expect(resolveUpdateFeed({ flag: undefined, env: { KLUSTERA_UPDATE_FEED: '  ' } })).toEqual({ enabled: false });
    expect(resolveUpdateFeed({ flag: 'off', env: { KLUSTERA_UPDATE_FEED: 'https://updates.example.id/klustera' } })).toEqual({
      enabled: false,
    });
  });

  it('takes the flag over the environment and normalises the folder address', () => {
    expect(
      resolveUpdateFeed({ flag: 'https://updates.example.id/klustera?x=1#top', env: { KLUSTERA_UPDATE_FEED: 'https://other.example/' } }),
    ).toEqual({ enabled: true, url: 'https://updates.example.id/klustera/' });
    expect(resolveUpdateFeed({ flag: undefined, env: { KLUSTERA_UPDATE_FEED: 'https://other.example/feed/' } })).toEqual({
      enabled: true,
      url: 'https://other.example/feed/',
    });
  });

  it('accepts plain http only on the estate network', () => {
    for (const lan of [
      'http://192.168.1.10:8080/updates',
      'http://10.0.0.2/',
      'http://172.20.1.1/',
      'http://127.0.0.1:9000/',
      'http://kantor.local/',
    ]) {
      expect(resolveUpdateFeed({ flag: lan, env: {} }).enabled).toBe(true);
    }
    for (const internet of ['http://updates.example.id/', 'http://8.8.8.8/', 'http://172.32.0.1/']) {
      expect(() => resolveUpdateFeed({ flag: internet, env: {} })).toThrow(UpdateFeedError);
    }
  });

  it('refuses other schemes, credentials and non-URLs', () => {
    for (const bad of ['file:///tmp/feed', 'ftp://example.id/', 'https://user:pw@example.id/', 'not a url']) {
      expect(() => resolveUpdateFeed({ flag: bad, env: {} })).toThrow(UpdateFeedError);
    }
  });
});
