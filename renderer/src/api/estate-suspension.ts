import { useSyncExternalStore } from 'react';

/**
 * Whether the server refused this browser's estate as suspended (403 ESTATE_SUSPENDED). Every client (office, portal,
 * kiosk device, uploads) builds its errors through `apiErrorFromBody`, which reports it here, so every face can swap
 * its screens for one plain message instead of a page of failed requests. A reload asks again.
 */
let suspended = false;
const listeners = new Set<() => void>();

export function noteEstateSuspended(): void {
  if (suspended) return;
  suspended = true;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useEstateSuspended(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => suspended,
    () => false,
  );
}
