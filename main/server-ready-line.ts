/**
 * The server tells a parent process it is listening with one machine-readable stdout line:
 *   KLUSTERA_READY {"url":"http://127.0.0.1:41234"}
 * Everything else on stdout is human logging and is passed through untouched.
 */
export const READY_PREFIX = 'KLUSTERA_READY ';

export interface ServerReady {
  url: string;
}

export function parseReadyLine(line: string): ServerReady | null {
  const trimmed = line.replace(/\r$/, '');
  if (!trimmed.startsWith(READY_PREFIX)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(trimmed.slice(READY_PREFIX.length));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const url = (payload as { url?: unknown }).url;
  if (typeof url !== 'string') return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  } catch {
    return null;
  }
  return { url: url.replace(/\/$/, '') };
}

/**
 * Pipes deliver arbitrary chunks, so a ready line may arrive split across two reads; this buffers until newline.
 */
export function createLineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        onLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    },
    end() {
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}
