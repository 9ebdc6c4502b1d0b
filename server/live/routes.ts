import { authenticate, type AuthInfo } from '../auth/authenticate.ts';
import { ROLES, roleHasPermission, type Role } from '../auth/permissions.ts';
import type { LiveChange, LiveTopic } from '../db/live-changes.ts';
import { platformKnex } from '../db/platform-store.ts';
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
/**
 * Events that arrive within this long of the last credential check go out on it; later ones wait for a new check,
 * so a burst of changes costs one check and a signed-out screen hears nothing after the first event that follows.
 */
const RECHECK_BEFORE_EVENT_MS = 2_000;
const PERMISSION = 'estates.read';

/** The role that grants the stream, as the pipeline picks it: the first role of ROLES held here with the permission. */
function grantingRole(auth: AuthInfo, estateId: string): Role | null {
  const held = new Set<Role>(auth.memberships.filter((m) => m.estate_id === estateId).map((m) => m.role));
  if (auth.isPlatformAdmin) held.add('platform_admin');
  return ROLES.find((role) => held.has(role) && roleHasPermission(role, PERMISSION)) ?? null;
}

/**
 * Whether the credential that opened the stream would still open it as the same viewer: the same session, token or
 * device (signed out, expired or revoked ends it), still a member with the same role (a removed or changed
 * membership ends it; the screen reconnects and hears what its new role may). A database that cannot answer for a
 * moment does not end a stream.
 */
async function stillGranted(ctx: RequestContext, estateId: string): Promise<boolean> {
  const opened = ctx.auth;
  if (!opened) return false;
  let now: AuthInfo | null;
  try {
    now = await authenticate(platformKnex(ctx.app.db.knex), ctx.req);
  } catch {
    return true;
  }
  if (!now || now.via !== opened.via || now.userId !== opened.userId) return false;
  if (now.sessionId !== opened.sessionId || now.tokenId !== opened.tokenId) return false;
  return grantingRole(now, estateId) === grantingRole(opened, estateId);
}

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
  let checkedAt = Date.now();
  let check: Promise<boolean> | null = null;
  const granted = (): Promise<boolean> => {
    check ??= stillGranted(ctx, estateId).then((ok) => {
      check = null;
      checkedAt = Date.now();
      if (!ok) res.end();
      return ok;
    });
    return check;
  };
  let queue = Promise.resolve();
  const unsubscribe = feed.subscribe({
    change(change) {
      if (change.estate_id !== estateId) return;
      const arrivedAt = Date.now();
      // In order, one at a time: a resident's check may read the database.
      queue = queue
        .then(async () => {
          if (res.writableEnded) return;
          if (arrivedAt - checkedAt > RECHECK_BEFORE_EVENT_MS && !(await granted())) return;
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
  // Without events a signed-out screen would keep its stream (and hear the next change); ask again on a timer too.
  const recheck = setInterval(() => void granted().catch(() => undefined), ctx.app.options.liveRecheckMs);
  recheck.unref();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(heartbeat);
    clearInterval(recheck);
    unsubscribe();
  };
  // 'finish' when this side ended the stream, 'close' when the screen went away.
  res.on('finish', stop);
  res.on('close', stop);
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
