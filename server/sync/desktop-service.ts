import type { Knex } from 'knex';
import type { z } from 'zod';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { PlatformStore } from '../db/platform-store.ts';
import { SYSTEM_ACTOR, type ScopedStore } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { AppError, ConflictError, NotFoundError, UnprocessableError } from '../http/errors.ts';
import { applyChanges } from './apply-changes.ts';
import { compareDigestsWithCloud, type DigestCheckState, digestAlert, digestComparisonDue } from './digests.ts';
import { cutPushBatches, entriesAsChanges, pendingCount, pendingEntries } from './change-log.ts';
import { MAX_REMOTE_LEAD_MS } from './hlc.ts';
import { CLOCK_SKEW_WARNING_MS } from './merge-policy.ts';
import { platformDb, schemaVersion } from './platform-db.ts';
import {
  ACCOUNT_REFUSED_CODE,
  recordArrivedAccounts,
  recordRefusedAccounts,
  type SetAsideChange,
  setAsideChanges,
  setAsideSharedAccountChanges,
  withoutSharedCredentials,
} from './shared-accounts.ts';
import { handshakeResponse, pairResponse, pullResponse, pushResponse } from './schemas.ts';

export interface SyncLink {
  id: string;
  estate_id: string;
  cloud_url: string;
  token: string;
  pull_cursor: string;
  last_sync_at: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  clock_skew_ms: number | null;
}

/** An answer of the hosted instance that refused a request, or the hosted instance being out of reach. */
export class SyncRemoteError extends UnprocessableError {
  constructor(
    code: string,
    message: string,
    /** The hosted instance's `details`, as it sent them (the account a refused push named). */
    readonly remoteDetails?: unknown,
  ) {
    super(code, message);
  }
}

const UNREACHABLE = 'Server awan tidak dapat dihubungi. Sinkronisasi dicoba lagi nanti.';
const UNREADABLE = 'Jawaban server awan tidak dapat dibaca. Periksa alamat server awan.';

/** An answer checked against its schema: an address that is not a Klustera hosted instance writes nothing here. */
function readAnswer<T>(schema: z.ZodType<T>, answer: unknown): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new SyncRemoteError('SYNC_ANSWER_UNREADABLE', UNREADABLE);
  return parsed.data;
}

/** A body already encoded as JSON (a push batch, whose size was measured as it was encoded). */
class EncodedJson {
  constructor(readonly text: string) {}
}

async function callCloud<T = unknown>(cloudUrl: string, path: string, body: unknown, token?: string, method = 'POST'): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${cloudUrl}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: method === 'DELETE' ? undefined : body instanceof EncodedJson ? body.text : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch {
    throw new SyncRemoteError('SYNC_CLOUD_UNREACHABLE', UNREACHABLE);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    if (typeof error?.code === 'string' && typeof error.message === 'string')
      throw new SyncRemoteError(error.code, error.message, error.details);
    throw new SyncRemoteError('SYNC_CLOUD_UNREACHABLE', UNREACHABLE);
  }
  return parsed as T;
}

/** The address as typed, without a trailing slash or path; only http(s). */
export function cloudBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new UnprocessableError('SYNC_URL_INVALID', 'Alamat server awan tidak sah.', 'cloud_url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UnprocessableError('SYNC_URL_INVALID', 'Alamat server awan tidak sah.', 'cloud_url');
  }
  return url.origin;
}

export async function readLink(knex: Knex | Knex.Transaction, estateId: string): Promise<SyncLink | undefined> {
  return (await knex('sync_links').where({ estate_id: estateId }).first()) as SyncLink | undefined;
}

/** Links this desktop's estate to the hosted instance with a one-time code from it; the estate keeps its id there. */
export async function linkToCloud(app: AppContext, store: ScopedStore, input: { cloud_url: string; code: string }): Promise<SyncLink> {
  const cloudUrl = cloudBaseUrl(input.cloud_url);
  if (await readLink(store.knex, store.estateId)) {
    throw new ConflictError('SYNC_ALREADY_LINKED', 'Perumahan ini sudah tertaut ke server awan. Putuskan tautan dulu.');
  }
  const estate = (await store
    .knex('estates')
    .where({ id: store.estateId })
    .first('id', 'name', 'address', 'timezone', 'rt', 'rw')) as PairEstate;
  const siteCodes = (await store.query('site_codes').pluck('code')) as string[];
  const answer = await callCloud<unknown>(cloudUrl, '/sync/pair', {
    code: input.code,
    site_id: app.sync.siteId,
    schema_version: schemaVersion(app),
    site_codes: siteCodes,
    estate,
  });
  const paired = readAnswer(pairResponse, answer);
  const at = nowIso();
  const link = {
    id: newId(),
    estate_id: store.estateId,
    cloud_url: cloudUrl,
    token: paired.token,
    pull_cursor: '',
    created_at: at,
    updated_at: at,
  };
  await store.transaction(async (tx) => {
    await tx.knex('sync_links').insert(link);
    await tx.audit('sync.link', 'sync_links', link.id, undefined, { cloud_url: cloudUrl });
    // This desktop stays the one writer of the estate's cash book; the hosted instance recorded the same at pairing.
    await setCashbookHome(tx, app.sync.siteId);
  });
  return (await readLink(store.knex, store.estateId))!;
}

type PairEstate = { id: string; name: string; address: string | null; timezone: string; rt: string | null; rw: string | null };

/** Ends the link: the hosted instance is asked to revoke the credential (when reachable), the local link is removed. */
export async function unlinkFromCloud(store: ScopedStore): Promise<void> {
  const link = await readLink(store.knex, store.estateId);
  if (!link) throw new NotFoundError('Tautan server awan');
  try {
    await callCloud(link.cloud_url, '/sync/credential', undefined, link.token, 'DELETE');
  } catch {
    // Out of reach or already revoked there: the platform administrator can revoke it on the hosted instance.
  }
  await store.transaction(async (tx) => {
    await tx.knex('sync_links').where({ id: link.id }).del();
    await tx.audit('sync.unlink', 'sync_links', link.id, { cloud_url: link.cloud_url }, undefined);
    // Unlinked, the desktop keeps its own copy of the books on its own; the hosted instance is the home of its copy.
    await setCashbookHome(tx, null);
  });
}

/** Records which site writes the estate's cash book (null: this one); a site-local column of the estate row. */
async function setCashbookHome(tx: ScopedStore, siteId: string | null): Promise<void> {
  const before = (await tx.knex('estates').where({ id: tx.estateId }).first('cashbook_home_site_id')) as {
    cashbook_home_site_id: string | null;
  };
  await tx.knex('estates').where({ id: tx.estateId }).update({ cashbook_home_site_id: siteId });
  await tx.audit('estates.cashbook_home', 'estates', tx.estateId, before, { cashbook_home_site_id: siteId });
}

export interface SyncSummary {
  ok: boolean;
  pushed: number;
  pulled: number;
  conflicts: number;
  waiting: number;
  clock_skew_ms: number | null;
  error: { code: string; message: string } | null;
}

/** Points where a test stops a cycle as a crash would. */
export interface SyncFaults {
  /** After the hosted instance answered a push, before the desktop records the acknowledgement. */
  beforeAck?: () => void;
  /** After a pushed batch was acknowledged, before the next one is sent. */
  afterBatch?: (batch: { changes: number; bytes: number }) => void | Promise<void>;
}

/**
 * One sync cycle of the linked estate: handshake, push every unacknowledged change in batches, pull the hosted
 * instance's changes in batches. The outcome (time, error, clock warning) is stored on the link for the office.
 */
export async function runSyncCycle(app: AppContext, estateId: string, faults: SyncFaults = {}): Promise<SyncSummary> {
  const progress: UploadProgress = { sent: 0, total: 0 };
  let running = runningUploads.get(app);
  if (!running) runningUploads.set(app, (running = new Map()));
  running.set(estateId, progress);
  try {
    return await syncCycle(app, estateId, faults, progress);
  } finally {
    if (running.get(estateId) === progress) running.delete(estateId);
  }
}

/** How far the upload of a running cycle has come: outbox rows sent of those waiting when it started. */
export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * The cycles running in this process, per estate, for the status the office polls while one runs (a first upload of
 * a whole estate takes a while). The desktop is one process, and so is each of its cycles.
 */
const runningUploads = new WeakMap<AppContext, Map<string, UploadProgress>>();

async function syncCycle(app: AppContext, estateId: string, faults: SyncFaults, progress: UploadProgress): Promise<SyncSummary> {
  const knex = platformDb(app);
  const link = await readLink(knex, estateId);
  if (!link) throw new NotFoundError('Tautan server awan');
  const summary: SyncSummary = { ok: true, pushed: 0, pulled: 0, conflicts: 0, waiting: 0, clock_skew_ms: link.clock_skew_ms, error: null };
  progress.total = await pendingCount(knex, estateId, app.sync.siteId);
  try {
    const sentAt = Date.now();
    const hello = readAnswer(
      handshakeResponse,
      await callCloud(
        link.cloud_url,
        '/sync/handshake',
        { site_id: app.sync.siteId, schema_version: schemaVersion(app), clock: new Date(sentAt).toISOString() },
        link.token,
      ),
    );
    const receivedAt = Date.now();
    summary.clock_skew_ms = Math.round(Date.parse(hello.time) - (sentAt + receivedAt) / 2);

    const pushWaiting = async () => {
      for (;;) {
        const entries = await pendingEntries(knex, estateId, app.sync.siteId);
        if (!entries.length) break;
        // Cut by encoded size as well as by count: one body stays under the hosted instance's push limit even when
        // rows carry proofs or attachments (server/sync/README.md).
        const changes = await entriesAsChanges(knex, estateId, entries, { platformAdminsOutside: false });
        for (const batch of cutPushBatches(entries, await withoutSharedCredentials(knex, estateId, changes))) {
          const answer = readAnswer(pushResponse, await callCloud(link.cloud_url, '/sync/push', new EncodedJson(batch.body), link.token));
          faults.beforeAck?.();
          for (let i = 0; i < batch.entry_ids.length; i += 500) {
            await knex('outbox')
              .whereIn('id', batch.entry_ids.slice(i, i + 500))
              .update({ synced_at: nowIso() });
          }
          summary.pushed += batch.changes;
          summary.conflicts += answer.conflicts;
          // Rows written while the cycle runs go up with it, but the office is shown the share of what it started with.
          progress.sent = Math.min(progress.total, progress.sent + batch.entry_ids.length);
          await faults.afterBatch?.({ changes: batch.changes, bytes: Buffer.byteLength(batch.body) });
        }
      }
    };
    // A change to an account that meanwhile joined another estate on the hosted instance is refused there for the
    // whole batch. The pull below tells which accounts those are; their waiting changes are then set aside and the
    // rest goes up (shared-accounts.ts), so one such change never holds back the estate's later ones.
    let refused = await pushUnlessAccountRefused(pushWaiting);

    let cursor = link.pull_cursor;
    let posted = 0;
    for (;;) {
      const page = readAnswer(pullResponse, await callCloud(link.cloud_url, '/sync/pull', { cursor }, link.token));
      await new PlatformStore(knex, SYSTEM_ACTOR, app.sync).transaction(async (tx) => {
        const trx = tx.knex as Knex.Transaction;
        posted += (await applyChanges(trx, estateId, page.changes, { acknowledged: true, sync: app.sync })).posted ?? 0;
        await recordArrivedAccounts(trx, estateId, page.changes);
        // The cursor moves in the transaction that applied the changes: a crash leaves both or neither.
        await trx('sync_links').where({ id: link.id }).update({ pull_cursor: page.cursor, updated_at: nowIso() });
      });
      for (const change of page.changes) app.sync.clock.receiveRemote(change.hlc);
      summary.pulled += page.changes.length;
      cursor = page.cursor;
      if (!page.more) break;
    }
    for (let round = 0; refused; round++) {
      await recordRefusedAccounts(knex, estateId, refused.remoteDetails);
      if (round === 3 || !(await setAsideSharedAccountChanges(knex, app.sync, estateId, app.sync.siteId))) throw refused;
      refused = await pushUnlessAccountRefused(pushWaiting);
    }
    // Money the hosted instance took was just posted to this site's cash book (the home): the entries go up now, so a
    // cycle ends with one chain on both sides.
    if (posted) await pushWaiting();
    await knex('sync_links').where({ id: link.id }).update({
      last_sync_at: nowIso(),
      last_error_code: null,
      last_error_message: null,
      clock_skew_ms: summary.clock_skew_ms,
      updated_at: nowIso(),
    });
  } catch (err) {
    const error =
      err instanceof AppError
        ? { code: err.code, message: err.message }
        : { code: 'SYNC_FAILED', message: 'Sinkronisasi gagal. Dicoba lagi nanti.' };
    summary.ok = false;
    summary.error = error;
    await knex('sync_links').where({ id: link.id }).update({
      last_error_code: error.code,
      last_error_message: error.message,
      clock_skew_ms: summary.clock_skew_ms,
      updated_at: nowIso(),
    });
  }
  summary.waiting = await pendingCount(knex, estateId, app.sync.siteId);
  // Nothing left to send after a cycle that moved something: both sides should now hold the same rows (digests.ts),
  // compared when due (not in the first upload, at most once per interval).
  if (summary.ok && summary.waiting === 0 && summary.pushed + summary.pulled > 0) {
    // `link` was read before this cycle: its last_sync_at is null while this is the link's first upload.
    const checked = (await knex('sync_links').where({ id: link.id }).first('digest_checked_at', 'digest_diverged')) as Omit<
      DigestCheckState,
      'last_sync_at'
    >;
    if (digestComparisonDue({ ...checked, last_sync_at: link.last_sync_at }, Date.now(), app.options.syncDigestIntervalMs))
      await compareDigestsWithCloud(app, estateId);
  }
  return summary;
}

/** Runs the push; a refusal for an account that works elsewhere on the hosted instance is returned, not thrown. */
async function pushUnlessAccountRefused(push: () => Promise<void>): Promise<SyncRemoteError | null> {
  try {
    await push();
    return null;
  } catch (err) {
    if (err instanceof SyncRemoteError && err.code === ACCOUNT_REFUSED_CODE) return err;
    throw err;
  }
}

export interface SyncStatus {
  linked: boolean;
  cloud_url: string | null;
  last_sync_at: string | null;
  waiting: number;
  last_error: { code: string; message: string } | null;
  clock_skew_ms: number | null;
  clock_warning: string | null;
  clock_far_off: boolean;
  /** Tables whose digests differ from the hosted instance's although nothing waits to be sent. */
  digest_alert: ReturnType<typeof digestAlert>;
  /** While a cycle uploads: rows sent of those waiting when it started; null otherwise. */
  progress: UploadProgress | null;
  /** Account changes the hosted instance refused (the account works in another estate there), set aside. */
  set_aside: SetAsideChange[];
}

const CLOCK_WARNING =
  'Jam komputer kantor berbeda lebih dari 2 menit dengan server awan. Sinkronisasi tetap berjalan; cocokkan jam komputer.';

/** Beyond the week a received change may move a clock (hlc.ts): edits from here no longer carry the other clock. */
const CLOCK_FAR_OFF_WARNING =
  'Jam komputer kantor berbeda lebih dari 7 hari dengan server awan. Urutan perubahan antara komputer ini dan server awan bisa keliru; cocokkan jam komputer sekarang.';

function clockWarning(skew: number | null): string | null {
  if (skew === null) return null;
  if (Math.abs(skew) > MAX_REMOTE_LEAD_MS) return CLOCK_FAR_OFF_WARNING;
  return Math.abs(skew) > CLOCK_SKEW_WARNING_MS ? CLOCK_WARNING : null;
}

export async function syncStatus(app: AppContext, estateId: string): Promise<SyncStatus> {
  const knex = platformDb(app);
  const link = await readLink(knex, estateId);
  const skew = link?.clock_skew_ms ?? null;
  return {
    linked: Boolean(link),
    cloud_url: link?.cloud_url ?? null,
    last_sync_at: link?.last_sync_at ?? null,
    waiting: await pendingCount(knex, estateId, app.sync.siteId),
    last_error: link?.last_error_code ? { code: link.last_error_code, message: link.last_error_message ?? '' } : null,
    clock_skew_ms: skew === null ? null : Number(skew),
    clock_warning: clockWarning(skew === null ? null : Number(skew)),
    clock_far_off: skew !== null && Math.abs(Number(skew)) > MAX_REMOTE_LEAD_MS,
    digest_alert: digestAlert(link as Parameters<typeof digestAlert>[0]),
    progress: uploadProgress(app, estateId),
    set_aside: await setAsideChanges(knex, estateId),
  };
}

function uploadProgress(app: AppContext, estateId: string): UploadProgress | null {
  const progress = runningUploads.get(app)?.get(estateId);
  return progress && progress.total > 0 ? { sent: progress.sent, total: progress.total } : null;
}

/** Estates of this installation that are linked to a hosted instance (the background job and `klustera sync`). */
export async function linkedEstates(knex: Knex): Promise<string[]> {
  return ((await knex('sync_links').select('estate_id')) as { estate_id: string }[]).map((r) => r.estate_id);
}
