import type { Request } from 'express';
import type { AppContext } from '../http/app-context.ts';
import { TooManyRequestsError } from '../http/errors.ts';
import { changeLogAfter } from './change-log.ts';
import type { SyncCredential } from './cloud-service.ts';
import { platformDb } from './platform-db.ts';
import type { SyncChange } from './sync-change.ts';

/** A desktop's pull may wait this long for news; under the 30 s many proxies give an idle request. */
export const MAX_PULL_WAIT_MS = 25_000;
/** Open waits per sync credential (one desktop) and per estate (all its desktops), per server process. */
export const MAX_WAITS_PER_CREDENTIAL = 2;
export const MAX_WAITS_PER_ESTATE = 8;

// After a wake-up the change log may not show the new rows yet: a pull reads only below the oldest transaction still
// running (change-log.ts), and another writer's transaction can hold that line back for a moment.
const RECHECK_FIRST_MS = 20;
const RECHECK_LAST_MS = 1_000;
// A signal lost while the LISTEN connection reconnected is caught by this slow look.
const SAFETY_LOOK_MS = 5_000;

interface PullPage {
  changes: SyncChange[];
  cursor: string;
  more: boolean;
}

const openWaits = new WeakMap<AppContext, Map<string, number>>();

/** Pulls of the estate waiting in this server process (tests, and the operator's view of load). */
export function openPullWaits(app: AppContext, estateId: string): number {
  return openWaits.get(app)?.get(`estate:${estateId}`) ?? 0;
}

function takeSlots(app: AppContext, credential: SyncCredential): () => void {
  let counts = openWaits.get(app);
  if (!counts) openWaits.set(app, (counts = new Map()));
  const keys = [`credential:${credential.id}`, `estate:${credential.estate_id}`];
  const limits = [MAX_WAITS_PER_CREDENTIAL, MAX_WAITS_PER_ESTATE];
  if (keys.some((key, i) => (counts.get(key) ?? 0) >= limits[i])) {
    throw new TooManyRequestsError('SYNC_TOO_MANY_WAITS', 'Terlalu banyak permintaan sinkronisasi yang menunggu. Dicoba lagi nanti.', 5);
  }
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const key of keys) {
      const left = (counts.get(key) ?? 1) - 1;
      if (left > 0) counts.set(key, left);
      else counts.delete(key);
    }
  };
}

/**
 * The estate's change log after `cursor` (see `changeLogAfter`); when it has nothing for the asking site and
 * `waitMs` > 0, the answer waits until it has (woken by the outbox signal of any server process on the database) or
 * the time is up, and then carries the cursor past whatever the asking site's own changes added meanwhile.
 */
export async function pullWhenChanged(
  app: AppContext,
  credential: SyncCredential,
  cursor: string,
  waitMs: number,
  req: Request,
): Promise<PullPage> {
  const read = (from: string) => changeLogAfter(platformDb(app), credential.estate_id, credential.site_id, from);
  const first = await read(cursor);
  const feed = app.live;
  if (first.changes.length || first.more || waitMs <= 0 || !feed) return first;
  const release = takeSlots(app, credential);
  try {
    return await new Promise<PullPage>((resolve) => {
      let last: PullPage = first;
      let done = false;
      let checking = false;
      let again = false;
      let recheckMs = RECHECK_FIRST_MS;
      let timer: NodeJS.Timeout | null = null;
      const schedule = (ms: number) => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => void check(), ms);
        timer.unref();
      };
      const finish = () => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        clearTimeout(deadline);
        unsubscribe();
        req.res?.off('close', finish);
        resolve({ changes: last.changes, cursor: last.cursor, more: last.more });
      };
      const check = async (): Promise<void> => {
        if (done) return;
        if (checking) {
          again = true;
          return;
        }
        checking = true;
        try {
          const page = await read(last.cursor);
          last = page;
          if (page.changes.length) return finish();
          if (page.more) again = true;
        } catch {
          // The database is briefly out of reach: answer with what is settled; the desktop asks again.
          return finish();
        } finally {
          checking = false;
        }
        if (again) {
          again = false;
          return check();
        }
        if (recheckMs <= RECHECK_LAST_MS) {
          schedule(recheckMs);
          recheckMs *= 2;
        } else schedule(SAFETY_LOOK_MS);
      };
      const unsubscribe = feed.onOutbox((estateId) => {
        if (estateId !== credential.estate_id || done) return;
        recheckMs = RECHECK_FIRST_MS;
        void check();
      });
      const deadline = setTimeout(finish, Math.min(waitMs, MAX_PULL_WAIT_MS));
      deadline.unref();
      // The desktop went away (closed, or its own time-out): nobody is left to answer. The response's close, not the
      // request's: the request closed already when its body was read.
      req.res?.on('close', finish);
      schedule(SAFETY_LOOK_MS);
    });
  } finally {
    release();
  }
}
