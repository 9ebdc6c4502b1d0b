import type { LiveChange, LiveTopic } from '../db/live-changes.ts';
import { defineRoutes, type RequestContext } from '../http/route.ts';
import { residencesOfRequest } from '../residency/index.ts';

/**
 * `GET /estates/:id/live`: a Server-Sent Events stream telling a screen that data it shows changed, so it re-reads.
 * Each event is `event: change` with `{"topic", "unit_id"}`; `event: resync` means changes may have been missed
 * (this process lost its database listener for a moment) and everything should be re-read. A screen hears of its own
 * estate only, and of what its viewer can see: the guard post of passes and visits, a resident of their own unit's.
 */
const HEARTBEAT_MS = 25_000;
/** How long a resident's units are trusted before an event makes them re-read (a move-out ends the events). */
const RESIDENCE_FRESH_MS = 30_000;

const GATE_TOPICS: ReadonlySet<LiveTopic> = new Set(['passes', 'visits']);

type Viewer =
  | { kind: 'office' }
  | { kind: 'gate' }
  | { kind: 'resident'; units: Set<string>; readAt: number; refresh: () => Promise<Set<string>> };

async function viewerOf(ctx: RequestContext): Promise<Viewer> {
  if (ctx.auth?.via === 'device' || ctx.role === 'guard') return { kind: 'gate' };
  if (ctx.role === 'resident') {
    const refresh = async () => new Set((await residencesOfRequest(ctx)).residences.map((r) => r.unitId));
    return { kind: 'resident', units: await refresh(), readAt: Date.now(), refresh };
  }
  return { kind: 'office' };
}

async function mayHear(viewer: Viewer, change: LiveChange): Promise<boolean> {
  if (viewer.kind === 'office') return true;
  if (viewer.kind === 'gate') return GATE_TOPICS.has(change.topic);
  if (!change.unit_id) return false;
  if (Date.now() - viewer.readAt > RESIDENCE_FRESH_MS) {
    viewer.units = await viewer.refresh().catch(() => new Set<string>());
    viewer.readAt = Date.now();
  }
  return viewer.units.has(change.unit_id);
}

async function openStream(ctx: RequestContext): Promise<void> {
  const { req, res } = ctx;
  const feed = ctx.app.live;
  const estateId = ctx.store!.estateId;
  const viewer = await viewerOf(ctx);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // A buffering proxy (nginx) would hold the events back.
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  req.socket.setNoDelay(true);
  // No time-out on an open stream: the heartbeat keeps proxies from closing it.
  req.socket.setTimeout(0);
  const send = (text: string) => {
    if (!res.writableEnded) res.write(text);
  };
  send(`retry: 3000\nevent: ready\ndata: {}\n\n`);
  if (!feed) {
    // A context without a feed (hand-built in a test) has nothing to tell.
    return;
  }
  let queue = Promise.resolve();
  const unsubscribe = feed.subscribe({
    change(change) {
      if (change.estate_id !== estateId) return;
      // In order, one at a time: a resident's check may read the database.
      queue = queue
        .then(async () => {
          if (await mayHear(viewer, change))
            send(`event: change\ndata: ${JSON.stringify({ topic: change.topic, unit_id: change.unit_id })}\n\n`);
        })
        .catch(() => undefined);
    },
    resync() {
      send(`event: resync\ndata: {}\n\n`);
    },
  });
  const heartbeat = setInterval(() => send(`: keep-alive\n\n`), HEARTBEAT_MS);
  heartbeat.unref();
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}

export const liveRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/live',
    permission: 'estates.read',
    summary: 'Live updates of this estate for the screen asking (Server-Sent Events: change, resync)',
    tags: ['live'],
    raw: true,
    produces: ['text/event-stream'],
    handler: openStream,
  },
]);
