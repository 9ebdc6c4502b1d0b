import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { PlatformStore } from '../db/platform-store.ts';
import type { Actor } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { ConflictError } from '../http/errors.ts';
import { effectivePublicUrl, parsePublicUrl, type PublicAddress, type PublicUrlSource } from './public-url.ts';

const KEY = 'public_url';

/** The saved address, or null when none was saved or what was saved no longer passes today's rules. */
export async function readStoredPublicUrl(knex: Knex): Promise<string | null> {
  const row = (await knex('installation_settings').where({ key: KEY }).first('value')) as { value: string } | undefined;
  if (!row) return null;
  try {
    const saved = (JSON.parse(row.value) as { url?: unknown }).url;
    return typeof saved === 'string' ? parsePublicUrl(saved) : null;
  } catch {
    return null;
  }
}

export interface PublicUrlView {
  public_url: string;
  source: PublicUrlSource;
  stored: string | null;
  /** Where the server listens, shown as the value a reset would bring back. */
  default_url: string;
  /** False when the operator fixed the address at startup: the screen then explains where it comes from. */
  editable: boolean;
}

export function publicUrlView(app: AppContext): PublicUrlView {
  const address = addressOf(app);
  const { url, source } = effectivePublicUrl(address);
  return { public_url: url, source, stored: address.stored, default_url: address.fallback, editable: !address.startup };
}

function addressOf(app: AppContext): PublicAddress {
  return app.publicAddress ?? { startup: null, stored: null, fallback: app.publicUrl, fallbackSource: 'local' };
}

/**
 * Saves (or, with null, forgets) the installation's address and uses it at once. Refused while `--public-url` or
 * KLUSTERA_PUBLIC_URL decides: a saved value would silently do nothing.
 */
export async function savePublicUrl(app: AppContext, actor: Actor, input: string | null): Promise<PublicUrlView> {
  const address = addressOf(app);
  if (address.startup) {
    throw new ConflictError(
      'PUBLIC_URL_SET_AT_STARTUP',
      'Alamat publik ditetapkan saat server dijalankan (--public-url atau KLUSTERA_PUBLIC_URL) dan tidak dapat diubah di sini.',
      'public_url',
    );
  }
  const url = input === null || input.trim() === '' ? null : parsePublicUrl(input);
  const value = JSON.stringify({ url });
  await new PlatformStore(app.db.knex, actor, app.sync).transaction(async (tx) => {
    const at = nowIso();
    const existing = (await tx.query('installation_settings').where({ key: KEY }).first('id')) as { id: string } | undefined;
    const write = { estateId: null, action: 'installation.public_url.update' };
    if (existing) await tx.update('installation_settings', (q) => q.where({ id: existing.id }), { value, updated_at: at }, write);
    else await tx.insert('installation_settings', { key: KEY, value, created_at: at, updated_at: at }, write);
  });
  address.stored = url;
  app.publicAddress = address;
  app.publicUrl = effectivePublicUrl(address).url;
  return publicUrlView(app);
}

/**
 * How stale a process's copy of the saved address may be. Another server process on the same database may save a new
 * one; each process re-reads the row at most this often, so links made anywhere follow a change within this bound.
 */
export const PUBLIC_URL_REREAD_MS = 2_000;

const lastRead = new WeakMap<AppContext, { at: number; pending: Promise<void> | null }>();

/** Express middleware that keeps `app.publicUrl` within PUBLIC_URL_REREAD_MS of the saved row; free when fresh. */
export function publicUrlFreshness(app: AppContext) {
  return (_req: unknown, _res: unknown, next: () => void): void => {
    const address = app.publicAddress;
    // Fixed at startup (nothing saved can win) or a hand-built context without a listening address.
    if (!address || address.startup) return next();
    const state = lastRead.get(app) ?? { at: Date.now(), pending: null };
    if (!lastRead.has(app)) lastRead.set(app, state);
    if (Date.now() - state.at < PUBLIC_URL_REREAD_MS) return next();
    state.pending ??= readStoredPublicUrl(app.db.knex)
      .then((stored) => {
        address.stored = stored;
        app.publicUrl = effectivePublicUrl(address).url;
      })
      // A busy database keeps the copy it has for one more interval rather than failing the request.
      .catch(() => {})
      .finally(() => {
        state.at = Date.now();
        state.pending = null;
      });
    state.pending.then(next, next);
  };
}
