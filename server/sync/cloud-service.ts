import type { Request } from 'express';
import type { Knex } from 'knex';
import { randomInt } from 'node:crypto';
import { randomToken, sha256Hex } from '../auth/passwords.ts';
import { nowIso } from '../db/clock.ts';
import { PlatformStore } from '../db/platform-store.ts';
import { ScopedStore, SYSTEM_ACTOR, type Actor } from '../db/scoped-store.ts';
import { insertEstate } from '../estates/index.ts';
import { firstFreeSiteCode, postArrivedMoneyFacts, unpostedMoneyFacts } from '../ledger/index.ts';
import type { AppContext } from '../http/app-context.ts';
import { logOf } from '../observability/index.ts';
import { AppError, ConflictError, UnauthenticatedError, UnprocessableError } from '../http/errors.ts';
import { applyChanges, type ApplyResult } from './apply-changes.ts';
import { compareSchemaVersions } from './merge-policy.ts';
import { platformDb, schemaVersion } from './platform-db.ts';
import type { SyncChange } from './sync-change.ts';

/** A link code lives 15 minutes and dies after this many wrong codes were tried while it was open. */
export const LINK_CODE_TTL_MS = 15 * 60 * 1000;
export const LINK_CODE_MAX_FAILED_ATTEMPTS = 10;

// No 0/O, 1/I/L: the code is read off one screen and typed on another.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** 12 characters (~59 bits), shown as XXXX-XXXX-XXXX. */
function newLinkCode(): string {
  let code = '';
  for (let i = 0; i < 12; i++) code += ALPHABET[randomInt(0, ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

function normalizeLinkCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export async function issueLinkCode(app: AppContext, actor: Actor): Promise<{ code: string; expires_at: string }> {
  const code = newLinkCode();
  const expiresAt = new Date(Date.now() + LINK_CODE_TTL_MS).toISOString();
  await new PlatformStore(app.db.knex, actor, app.sync).insert(
    'sync_link_codes',
    {
      code_hash: sha256Hex(normalizeLinkCode(code)),
      created_by: actor.userId,
      expires_at: expiresAt,
      failed_attempts: 0,
      created_at: nowIso(),
    },
    { estateId: null, action: 'sync.link_code' },
  );
  return { code, expires_at: expiresAt };
}

function assertSameSchema(desktop: string, cloud: string): void {
  const order = compareSchemaVersions(desktop, cloud);
  if (order < 0) {
    throw new ConflictError(
      'SYNC_UPGRADE_REQUIRED',
      'Versi Klustera di komputer kantor lebih lama dari server awan. Perbarui aplikasi; perubahan tetap tersimpan dan dikirim setelah pembaruan.',
    );
  }
  if (order > 0) {
    throw new ConflictError(
      'SYNC_CLOUD_OUTDATED',
      'Server awan memakai versi Klustera yang lebih lama. Sinkronisasi menunggu server awan diperbarui.',
    );
  }
}

export interface PairInput {
  code: string;
  site_id: string;
  schema_version: string;
  /** The site codes the desktop holds for the estate (its own and any it has seen), retired ones included. */
  site_codes?: string[];
  estate: { id: string; name: string; address?: string | null; timezone: string; rt?: string | null; rw?: string | null };
}

/**
 * Turns a link code into a sync credential for a new estate with the desktop's estate id. A wrong code counts
 * against every open code (the caller cannot say which one it meant), so guessing burns them instead of finding one.
 */
export async function pairDesktop(app: AppContext, input: PairInput): Promise<{ estate_id: string; token: string; credential_id: string }> {
  assertSameSchema(input.schema_version, schemaVersion(app));
  const platform = new PlatformStore(app.db.knex, SYSTEM_ACTOR, app.sync);
  const now = nowIso();
  const outcome = await platform.transaction(async (tx) => {
    const [code] = await tx.update(
      'sync_link_codes',
      (q) =>
        q
          .where('code_hash', sha256Hex(normalizeLinkCode(input.code)))
          .whereNull('used_at')
          .where('expires_at', '>', now)
          .where('failed_attempts', '<', LINK_CODE_MAX_FAILED_ATTEMPTS),
      { used_at: now, estate_id: input.estate.id },
      { estateId: null, action: 'sync.pair' },
    );
    if (!code) {
      const open = (await tx
        .query('sync_link_codes')
        .whereNull('used_at')
        .where('expires_at', '>', now)
        .select('id', 'failed_attempts')) as {
        id: string;
        failed_attempts: number;
      }[];
      for (const row of open) {
        await tx.update(
          'sync_link_codes',
          (q) => q.where({ id: row.id }),
          { failed_attempts: Number(row.failed_attempts) + 1 },
          { estateId: null, action: 'sync.pair_failed' },
        );
      }
      return null;
    }
    if (await tx.query('estates').where({ id: input.estate.id }).first('id')) {
      throw new ConflictError('SYNC_ESTATE_EXISTS', 'Perumahan ini sudah ada di server awan.');
    }
    await insertEstate(tx, input.estate, input.estate.id);
    // The desktop has kept the estate's cash book so far and stays its one writer while linked: payments taken here
    // are posted there when they arrive, so the two sites never append after the same chain head.
    await tx.update(
      'estates',
      (q) => q.where({ id: input.estate.id }),
      { cashbook_home_site_id: input.site_id },
      { estateId: input.estate.id, action: 'estates.cashbook_home' },
    );
    // The desktop keeps minting under its code (usually the empty one of the estate's first site); this instance
    // takes a code of its own in the same transaction, so no payment, receipt or invoice is ever numbered here under
    // the desktop's code and the estate's unique number indexes never stop sync.
    const held = (await tx.query('site_codes').where({ estate_id: input.estate.id }).pluck('code')) as string[];
    await tx.insert(
      'site_codes',
      {
        estate_id: input.estate.id,
        site_id: app.sync.siteId,
        code: firstFreeSiteCode([...(input.site_codes ?? []), ...held]),
        created_at: now,
        updated_at: now,
        deleted_at: null,
      },
      { estateId: input.estate.id, action: 'site_codes.assign' },
    );
    const token = `kls_${randomToken(32)}`;
    const credential = await tx.insert<{ id: string }>(
      'sync_credentials',
      {
        estate_id: input.estate.id,
        site_id: input.site_id,
        token_hash: sha256Hex(token),
        schema_version: input.schema_version,
        created_at: now,
      },
      { estateId: input.estate.id, action: 'sync.credential_create' },
    );
    return { estate_id: input.estate.id, token, credential_id: credential.id };
  });
  if (!outcome) throw new UnprocessableError('SYNC_CODE_INVALID', 'Kode tautan salah, kedaluwarsa, atau sudah dipakai.', 'code');
  return outcome;
}

export interface SyncCredential {
  id: string;
  estate_id: string;
  site_id: string;
}

/** The credential a sync request carries as its bearer token; 401 when it is unknown or revoked. */
export async function authenticateSync(app: AppContext, req: Request): Promise<SyncCredential> {
  const header = req.headers.authorization;
  const token = typeof header === 'string' && header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '';
  const row =
    token && token.length <= 200
      ? ((await platformDb(app)('sync_credentials')
          .join('estates', 'estates.id', 'sync_credentials.estate_id')
          .where('sync_credentials.token_hash', sha256Hex(token))
          .whereNull('sync_credentials.revoked_at')
          .whereNull('estates.deleted_at')
          .first('sync_credentials.id', 'sync_credentials.estate_id', 'sync_credentials.site_id')) as SyncCredential | undefined)
      : undefined;
  if (!row) {
    throw new UnauthenticatedError(
      'Tautan sinkronisasi tidak berlaku lagi. Tautkan ulang komputer kantor ke server awan.',
      'SYNC_CREDENTIAL_INVALID',
    );
  }
  return row;
}

export async function handshake(app: AppContext, input: { schema_version: string }): Promise<{ schema_version: string; time: string }> {
  const cloud = schemaVersion(app);
  assertSameSchema(input.schema_version, cloud);
  return { schema_version: cloud, time: new Date().toISOString() };
}

export type PushResult = ApplyResult & { replayed: boolean };

/**
 * Applies one pushed batch in one transaction with the record of its id: a batch sent again (the desktop crashed
 * before it stored our answer) returns the first answer and writes nothing.
 */
export async function applyPushedBatch(
  app: AppContext,
  credential: SyncCredential,
  batch: { batch_id: string; changes: SyncChange[] },
): Promise<PushResult> {
  let result: PushResult;
  try {
    result = await new PlatformStore(app.db.knex, SYSTEM_ACTOR, app.sync).transaction(async (tx) => {
      const trx = tx.knex as Knex.Transaction;
      const seen = (await trx('sync_batches').where({ estate_id: credential.estate_id, id: batch.batch_id }).first('result')) as
        | { result: string }
        | undefined;
      if (seen) return { ...(JSON.parse(seen.result) as ApplyResult), replayed: true };
      const applied = await applyChanges(trx, credential.estate_id, batch.changes, { acknowledged: false, sync: app.sync });
      await trx('sync_batches').insert({
        id: batch.batch_id,
        estate_id: credential.estate_id,
        credential_id: credential.id,
        changes: batch.changes.length,
        result: JSON.stringify(applied),
        applied_at: nowIso(),
      });
      return { ...applied, replayed: false };
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    // A row the database refuses (a number already taken, a reference to a row not sent yet): the batch is not
    // applied, and the desktop keeps it and shows the error.
    throw new ConflictError('SYNC_BATCH_REJECTED', 'Server awan menolak sebagian perubahan. Hubungi pengelola.');
  }
  // A desktop whose clock runs far ahead (a date set to 2030) moves this clock, shared by every estate, only so far
  // (hlc.ts); its office sees the clock warning of its handshake.
  let clamped = false;
  for (const change of batch.changes) clamped = app.sync.clock.receiveRemote(change.hlc) || clamped;
  if (clamped)
    logOf(app).warn({ estate_id: credential.estate_id }, 'sync: changes stamped more than a week ahead; the clock did not follow');
  return result;
}

/**
 * Revokes a credential of the estate; true when one was revoked. When it was the link of the estate's cash-book home,
 * this instance becomes the home in the same transaction and posts what it recorded meanwhile and the desktop had not
 * posted yet (anything the desktop posts after this never arrives: its link is gone).
 */
export async function revokeCredential(app: AppContext, actor: Actor, estateId: string, credentialId: string): Promise<boolean> {
  return new PlatformStore(app.db.knex, actor, app.sync).transaction(async (tx) => {
    const changed = await tx.update(
      'sync_credentials',
      (q) => q.where({ id: credentialId, estate_id: estateId }).whereNull('revoked_at'),
      { revoked_at: nowIso() },
      { estateId, action: 'sync.credential_revoke' },
    );
    if (!changed.length) return false;
    const home = await tx.update(
      'estates',
      (q) => q.where({ id: estateId, cashbook_home_site_id: changed[0].site_id as string }),
      { cashbook_home_site_id: null },
      { estateId, action: 'estates.cashbook_home' },
    );
    if (home.length) {
      const store = new ScopedStore(tx.knex, estateId, actor, app.sync);
      await postArrivedMoneyFacts(store, await unpostedMoneyFacts(store));
    }
    return true;
  });
}

export async function listCredentials(app: AppContext, estateId: string) {
  return (await platformDb(app)('sync_credentials')
    .where({ estate_id: estateId })
    .orderBy('created_at')
    .select('id', 'site_id', 'schema_version', 'created_at', 'revoked_at')) as {
    id: string;
    site_id: string;
    schema_version: string | null;
    created_at: string;
    revoked_at: string | null;
  }[];
}
