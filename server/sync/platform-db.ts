import fs from 'node:fs';
import type { Knex } from 'knex';
import { PlatformStore } from '../db/platform-store.ts';
import { SYSTEM_ACTOR } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { MIGRATIONS_DIR } from '../paths.ts';

/**
 * The database as sync sees it: across estates (a credential names its estate only once it is looked up, and a
 * change that names another estate's row must be seen to be refused). Every estate-bound check is sync's own.
 */
export function platformDb(app: AppContext): Knex {
  return new PlatformStore(app.db.knex, SYSTEM_ACTOR, app.sync).knex as Knex;
}

let codeVersion: string | undefined;
const pinned = new WeakMap<AppContext, string>();

/**
 * The schema version both sides compare at the handshake: the latest migration this code ships, which the server ran
 * before it started (it refuses to start otherwise).
 */
export function schemaVersion(app: AppContext): string {
  const version = pinned.get(app);
  if (version) return version;
  codeVersion ??=
    fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{14}_[\w-]+\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))
      .map((f) => f.replace(/\.(ts|js|mjs)$/, ''))
      .sort()
      .at(-1) ?? '';
  return codeVersion;
}

/** Makes `app` report another schema version: how the upgrade path is exercised without building an old release. */
export function pinSchemaVersion(app: AppContext, version: string | null): void {
  if (version === null) pinned.delete(app);
  else pinned.set(app, version);
}
