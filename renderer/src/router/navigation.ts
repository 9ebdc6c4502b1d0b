import { useSyncExternalStore } from 'react';

/**
 * Browser history as a React store. A hand-rolled router because the app needs little (three faces, flat route
 * tables, query strings for list state) and every dependency is one more thing to keep offline-installable.
 */
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const current = location.pathname + location.search;
  if (to === current) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
  if (!options.replace) window.scrollTo(0, 0);
}

export interface Location {
  pathname: string;
  search: string;
}

let cached: Location = { pathname: '', search: '' };

function snapshot(): Location {
  if (cached.pathname !== location.pathname || cached.search !== location.search) {
    cached = { pathname: location.pathname, search: location.search };
  }
  return cached;
}

export function useLocation(): Location {
  return useSyncExternalStore(subscribe, snapshot);
}

/** Query-string state for lists (search, filters, page), so back/forward and reload keep the treasurer's place. */
export function useSearchParams(): [URLSearchParams, (next: Record<string, string | number | undefined>) => void] {
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const update = (next: Record<string, string | number | undefined>) => {
    const merged = new URLSearchParams(location.search);
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined || value === '' || value === 0) merged.delete(key);
      else merged.set(key, String(value));
    }
    const query = merged.toString();
    navigate(`${location.pathname}${query ? `?${query}` : ''}`, { replace: true });
  };
  return [params, update];
}
