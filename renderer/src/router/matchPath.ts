export type Params = Record<string, string>;

/**
 * `/units/:id/edit` against `/units/0193…/edit` → `{ id: '0193…' }`, or null. Segments match exactly; a trailing
 * slash is ignored. Small on purpose: the app needs static and `:param` segments, nothing more.
 */
export function matchPath(pattern: string, pathname: string): Params | null {
  const want = split(pattern);
  const got = split(pathname);
  if (want.length !== got.length) return null;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (segment !== got[i]) {
      return null;
    }
  }
  return params;
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}
