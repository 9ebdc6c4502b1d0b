import webpush from 'web-push';
import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { PlatformStore } from '../db/platform-store.ts';
import { SYSTEM_ACTOR } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { openSecret, sealSecret, secretsKey } from '../secrets/index.ts';

/**
 * This installation's VAPID key pair (RFC 8292): made once, on first use, and kept in `installation_settings` with
 * the private key sealed by the site's secrets key. Browsers bind each subscription to the public key, so a new pair
 * would orphan every subscription: it is never replaced while it can be opened.
 */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

const KEY = 'webpush_vapid';
const SEAL_CONTEXT = 'installation_settings:webpush_vapid:private_key';

interface Stored {
  public_key: string;
  private_key_enc: string;
}

async function readStored(knex: Knex): Promise<Stored | null> {
  const row = (await knex('installation_settings').where({ key: KEY }).first('value')) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as Stored) : null;
}

function opened(app: AppContext, stored: Stored): VapidKeys {
  const privateKey = openSecret(secretsKey(app.dataDir), stored.private_key_enc, SEAL_CONTEXT);
  if (!privateKey) {
    throw new Error('The Web Push (VAPID) private key cannot be opened with this secrets key (secrets.key or KLUSTERA_SECRETS_KEY).');
  }
  return { publicKey: stored.public_key, privateKey };
}

async function loadOrCreate(app: AppContext): Promise<VapidKeys> {
  const stored = await readStored(app.db.knex);
  if (stored) return opened(app, stored);
  const fresh = webpush.generateVAPIDKeys();
  const value = JSON.stringify({
    public_key: fresh.publicKey,
    private_key_enc: sealSecret(secretsKey(app.dataDir), fresh.privateKey, SEAL_CONTEXT),
  } satisfies Stored);
  const at = nowIso();
  // Two processes starting on one database: the first pair written is everyone's.
  await new PlatformStore(app.db.knex, SYSTEM_ACTOR, app.sync).insertUnlessExists(
    'installation_settings',
    { key: KEY, value, created_at: at, updated_at: at },
    ['key'],
    { estateId: null, action: 'installation.webpush_vapid.create' },
  );
  return opened(app, (await readStored(app.db.knex))!);
}

const known = new WeakMap<AppContext, Promise<VapidKeys>>();

export function vapidKeys(app: AppContext): Promise<VapidKeys> {
  let keys = known.get(app);
  if (!keys) {
    keys = loadOrCreate(app);
    known.set(app, keys);
    keys.catch(() => known.delete(app));
  }
  return keys;
}
