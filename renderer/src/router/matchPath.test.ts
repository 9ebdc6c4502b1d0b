import { describe, expect, it } from 'vitest';
import { matchPath } from './matchPath.ts';

describe('matchPath', () => {
  it('matches static paths, ignoring a trailing slash', () => {
    expect(matchPath('/units', '/units/')).toEqual({});
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/units', '/residents')).toBeNull();
  });

  it('captures and decodes parameters', () => {
    expect(matchPath('/units/:id/edit', '/units/A%2012/edit')).toEqual({ id: 'A 12' });
    expect(matchPath('/invite/:code', '/invite/XY7Q')).toEqual({ code: 'XY7Q' });
  });

  it('does not match a different number of segments', () => {
    expect(matchPath('/units/:id', '/units')).toBeNull();
    expect(matchPath('/units/:id', '/units/1/edit')).toBeNull();
  });

  it('rejects a malformed escape instead of throwing', () => {
    expect(matchPath('/units/:id', '/units/%E0%A4%A')).toBeNull();
  });
});
