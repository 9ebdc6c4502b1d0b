import { useEffect, useRef } from 'react';
import { buildUrl, languageHeaders } from '../api/client.ts';
import { useSession } from '../session/SessionProvider.tsx';

/** What `GET /estates/:id/live` names in its `change` events (server/db/live-changes.ts). */
export type LiveTopic = 'passes' | 'visits' | 'gate_notifications' | 'ledger' | 'proofs' | 'notifications';

/** Changes that arrive together (a scan opens a visit and uses a pass) make one re-read. */
const COALESCE_MS = 150;
const RETRY_MAX_MS = 30_000;

function parseBlock(block: string): { event: string; data: { topic?: string } } | null {
  let event = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (!data) return null;
  try {
    return { event, data: JSON.parse(data) as { topic?: string } };
  } catch {
    return null;
  }
}

/**
 * Calls `onChange` when the server says that data of one of `topics` changed in the estate, whichever server process
 * the change went through, so a screen re-reads at once instead of at its next poll. The events carry no data: the
 * screen re-reads through its usual requests. fetch rather than EventSource, because the kiosk's device credential
 * needs the `X-Klustera-Device` header. After a dropped connection it reconnects (backing off) and re-reads once,
 * since changes may have passed meanwhile; a `resync` from the server means the same.
 */
export function useLiveChanges(
  estateId: string | null | undefined,
  topics: readonly LiveTopic[],
  onChange: () => void,
  opts: { device?: boolean } = {},
): void {
  const callback = useRef(onChange);
  callback.current = onChange;
  const { reload } = useSession();
  const reloadSession = useRef(reload);
  reloadSession.current = reload;
  const topicKey = topics.join(',');
  const device = opts.device === true;
  useEffect(() => {
    if (!estateId) return;
    const wanted = new Set(topicKey.split(','));
    const controller = new AbortController();
    let attempt = 0;
    let retryTimer = 0;
    let coalesceTimer = 0;
    let connectedBefore = false;
    const changed = () => {
      window.clearTimeout(coalesceTimer);
      coalesceTimer = window.setTimeout(() => callback.current(), COALESCE_MS);
    };
    const connect = async () => {
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream', ...languageHeaders() };
        if (device) headers['X-Klustera-Device'] = '1';
        const response = await fetch(buildUrl(`/estates/${estateId}/live`), {
          headers,
          credentials: 'same-origin',
          signal: controller.signal,
        });
        // The server ends a stream whose session is gone or revoked; the reconnect is refused with 401. Asking for the
        // session again then turns this screen into the sign-in page, as any other 401 of the session does.
        if (response.status === 401 && !device) void reloadSession.current();
        if (!response.ok || !response.body) throw new Error(`live ${response.status}`);
        if (connectedBefore) changed();
        connectedBefore = true;
        attempt = 0;
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const message = parseBlock(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
            if (message?.event === 'resync') changed();
            else if (message?.event === 'change' && wanted.has(message.data.topic ?? '')) changed();
          }
        }
      } catch {
        // Offline, refused or cut: tried again below.
      }
      if (controller.signal.aborted) return;
      attempt += 1;
      retryTimer = window.setTimeout(() => void connect(), Math.min(RETRY_MAX_MS, 1000 * 2 ** Math.min(attempt, 5)));
    };
    void connect();
    return () => {
      controller.abort();
      window.clearTimeout(retryTimer);
      window.clearTimeout(coalesceTimer);
    };
  }, [estateId, topicKey, device]);
}
