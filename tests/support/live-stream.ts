import type { ApiClient } from './server.ts';

export interface LiveEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface LiveStream {
  status: number;
  events: LiveEvent[];
  /** The first event (from the start of the stream) that matches, or an error after `timeoutMs`. */
  next(match: (e: LiveEvent) => boolean, timeoutMs?: number): Promise<LiveEvent>;
  /** Waits `ms` and returns the events received meanwhile. */
  during(ms: number): Promise<LiveEvent[]>;
  close(): void;
  /** Settles when the stream has ended, whichever side ended it. */
  ended: Promise<void>;
}

/**
 * Opens `GET /estates/:id/live` as the client (cookie, bearer or extra headers) and collects its Server-Sent
 * Events; resolves once the server has said `ready`, so the subscription is in place.
 */
export async function openLiveStream(client: ApiClient, estateId: string, headers: Record<string, string> = {}): Promise<LiveStream> {
  const h: Record<string, string> = { accept: 'text/event-stream', ...headers };
  if (client.cookie) h.cookie = client.cookie;
  if (client.bearer) h.authorization = `Bearer ${client.bearer}`;
  const controller = new AbortController();
  const res = await fetch(`${client.baseUrl}/api/v1/estates/${estateId}/live`, { headers: h, signal: controller.signal });
  const events: LiveEvent[] = [];
  const waiters = new Set<() => void>();
  let markEnded = () => {};
  const ended = new Promise<void>((resolve) => {
    markEnded = resolve;
  });
  const stream: LiveStream = {
    status: res.status,
    events,
    next(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(check as () => void);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check as () => void);
          reject(new Error(`no matching live event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check as () => void);
      });
    },
    async during(ms) {
      const from = events.length;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return events.slice(from);
    },
    close() {
      controller.abort();
    },
    ended,
  };
  if (res.status !== 200 || !res.body) {
    await res.text().catch(() => undefined);
    markEnded();
    return stream;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ready = () => {};
  const readyPromise = new Promise<void>((resolve) => {
    ready = resolve;
  });
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (!data) continue;
          if (event === 'ready') ready();
          else events.push({ event, data: JSON.parse(data) });
          for (const waiter of [...waiters]) waiter();
        }
      }
    } catch {
      // Closed by the test or the server.
    }
    markEnded();
    ready();
  })();
  await readyPromise;
  return stream;
}
