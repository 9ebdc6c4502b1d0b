import type { Database } from '../db/knex.ts';
import { loadSyncContext } from '../db/sync-context.ts';
import { PlatformStore } from '../db/platform-store.ts';
import { platformAdminRow } from './platform-admin.ts';
import { hashPassword } from '../auth/passwords.ts';
import { insertEstate, insertMembership } from '../estates/index.ts';
import { normalizePhone } from '../residents/index.ts';

/** For headless installs: an administrator (and, on an empty database, the estate) without the setup screen. */
export async function createAdmin(
  db: Database,
  input: { name?: string; email?: string; phone?: string; password?: string; estate?: string },
) {
  if (!input.name) throw new Error('--name is required');
  if (!input.email && !input.phone) throw new Error('--email or --phone is required');
  if (!input.password || input.password.length < 8) throw new Error('--password of at least 8 characters is required');
  const phone = input.phone ? normalizePhone(input.phone) : null;
  if (input.phone && !phone) throw new Error(`--phone ${input.phone} is not a valid phone number`);
  const email = input.email?.trim().toLowerCase() ?? null;
  const sync = await loadSyncContext(db.knex);
  const hash = await hashPassword(input.password);
  return db.knex.transaction(async (trx) => {
    const clash = await trx('users')
      .whereNull('deleted_at')
      .where((w) => {
        if (email) w.orWhere({ email });
        if (phone) w.orWhere({ phone });
      })
      .first();
    if (clash) throw new Error('a user with that email or phone already exists');
    let estate = await trx('estates').whereNull('deleted_at').orderBy('created_at').first();
    const user = platformAdminRow({ name: input.name!, email, phone, passwordHash: hash });
    const actor = { userId: user.id, role: 'platform_admin' as const };
    const platform = new PlatformStore(trx, actor, sync);
    if (!estate) {
      if (!input.estate) throw new Error('no estate exists yet: pass --estate "Estate name"');
      estate = await insertEstate(platform, { name: input.estate, timezone: 'Asia/Jakarta' });
    }
    await platform.insert('users', user, { estateId: estate.id as string });
    await insertMembership(platform, { estate_id: estate.id as string, user_id: user.id, role: 'estate_admin' });
    return { login: email ?? phone!, estateName: estate.name as string };
  });
}
