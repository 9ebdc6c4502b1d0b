import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiRequest, setRequestLanguage } from './client.ts';

/** The server words its messages in the language the UI shows only if every request says which one that is. */
describe('apiRequest', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setRequestLanguage('id');
  });

  function stubFetch() {
    const seen: Headers[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers));
      return new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    return seen;
  }

  it('sends the UI language as Accept-Language on reads and writes', async () => {
    const seen = stubFetch();
    await apiRequest('GET', '/me');
    setRequestLanguage('en');
    await apiRequest('POST', '/estates/x/units', { body: { code: 'A-1' } });
    await apiRequest('GET', '/me', { headers: { Accept: 'application/json' } });
    expect(seen.map((h) => h.get('accept-language'))).toEqual(['id', 'en', 'en']);
  });
});
